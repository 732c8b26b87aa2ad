/**
 * The client's side of a decision on Redis Cluster (cluster-store.ts): a batch's clicks with
 * their keys, the waves they are decided in, and the verdict memory as verdicts.lua reads it.
 */
import { isDecidedVerdict, type DecidedVerdict } from '../shared/verdict.ts';
import { addressAdKey, addressKey, duplicateKey, legacyVerdictKey, rateKey, verdictKey } from './keys.ts';
import { contentOf, type PendingClick, type RateReason } from './store.ts';

export interface Outcome {
  verdict: DecidedVerdict;
  ts: number;
  produce: boolean;
  reason: RateReason | null;
  unscoped: boolean;
}

export interface Item {
  p: PendingClick;
  content: string;
  verdict: string;
  legacy: string;
  dup: string;
  rate: string;
  addrAd: string | null;
  addr: string | null;
  outcome: Outcome | null;
  /** The memory phase 3 writes, and its PTTL ('' for the horizon). */
  write: { memory: string; pttl: string } | null;
}

export function itemOf(p: PendingClick, prefix: string): Item {
  const c = p.click;
  return {
    p,
    content: contentOf(c),
    verdict: verdictKey(prefix, c.sender, c.click_id),
    legacy: legacyVerdictKey(prefix, c.click_id),
    dup: duplicateKey(prefix, c.sender, p.window, c.user_id, c.ad_id),
    rate: rateKey(prefix, c.sender, p.rateWindow, c.user_id, c.ip),
    addrAd: p.address ? addressAdKey(prefix, p.address.group, p.rateWindow, c.ad_id) : null,
    addr: p.address ? addressKey(prefix, p.address.group, p.rateWindow) : null,
    outcome: null,
    write: null,
  };
}

/**
 * Splits a batch, in order, into waves whose phases may run side by side and still give what
 * one script deciding the clicks one after another gives: a click starts a new wave when an
 * earlier click of the wave has its click_id (it must see that click's memory), or is an
 * anonymous click with its duplicate or rate key (whose claim and entry phase 2 may still give
 * back, which the later click must see). Keyed clicks with distinct click_ids share one wave.
 */
export function waves(items: readonly Item[]): Item[][] {
  const out: Item[][] = [];
  let wave: Item[] = [];
  const ids = new Set<string>();
  const tentative = new Set<string>();
  for (const it of items) {
    if (ids.has(it.verdict) || tentative.has(it.dup) || tentative.has(it.rate)) {
      out.push(wave);
      wave = [];
      ids.clear();
      tentative.clear();
    }
    wave.push(it);
    ids.add(it.verdict);
    if (it.p.address && !it.p.pre) tentative.add(it.dup).add(it.rate);
  }
  if (wave.length > 0) out.push(wave);
  return out;
}

// As verdicts.lua: "<acked 0|1|2>\n<verdict>\n<first ts>\n<content>".
const MEMORY = /^(\d)\n([A-Za-z_]+)\n(\d+)\n([\s\S]*)$/;

/** The memory a first decision writes. */
export function memoryOf(verdict: DecidedVerdict, ts: number, content: string): string {
  return `0\n${verdict}\n${ts}\n${content}`;
}

/** The content of an unscoped memory, or null when it has none readable. */
export function contentOfMemory(memory: string): string | null {
  return MEMORY.exec(memory)?.[4] ?? null;
}

/**
 * A click decided from its memory, as verdicts.lua does: the same content gets its first
 * verdict and ts (produced again until acknowledged); other content is a duplicate.
 */
export function fromMemory(memory: string, content: string, ts: number): Outcome {
  const m = MEMORY.exec(memory);
  if (!m || m[4] !== content) return { verdict: 'duplicate', ts, produce: false, reason: null, unscoped: false };
  const [, acked, verdict, first] = m;
  if (!isDecidedVerdict(verdict ?? '')) throw new Error(`verdict memory holds verdict ${String(verdict)}`);
  return {
    verdict: verdict as DecidedVerdict,
    ts: Number(first),
    produce: acked !== '1',
    reason: null,
    unscoped: acked === '2',
  };
}

/** A reply of a per-click script as strings, checked for its length. */
export function strings(reply: unknown, n: number, what: string): string[] {
  if (
    !Array.isArray(reply) ||
    reply.length !== n ||
    !reply.every((v) => typeof v === 'string' || typeof v === 'number')
  )
    throw new Error(`${what} returned ${Array.isArray(reply) ? reply.length : typeof reply} values, needed ${n}`);
  return reply.map(String);
}
