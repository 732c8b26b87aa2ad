/**
 * The client's side of a decision on Redis Cluster (cluster-store.ts): a batch's clicks with
 * their keys, the waves they are decided in, and the verdict memory as verdicts.lua reads it.
 */
import { isDecidedVerdict, type DecidedVerdict } from '../shared/verdict.ts';
import { addressAdKey, addressKey, duplicateKey, legacyVerdictKey, rateKey, verdictKey } from './keys.ts';
import type { Globals } from './cluster-globals.ts';
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

/** A first decision made now: produced, and remembered in phase 3. */
export function decided(it: Item, verdict: DecidedVerdict, reason: RateReason | null): void {
  const ts = it.p.click.ts;
  it.outcome = { verdict, ts, produce: true, reason, unscoped: false };
  it.write = { memory: memoryOf(verdict, ts, it.content), pttl: '' };
}

/**
 * Decides what the read round settles, as verdicts.lua does before its claims: a known click
 * from its memory, a retry of a click decided before namespaces from the unscoped memory (copied
 * in phase 3), bot and blocked at once. Returns the clicks left for phase 1, in batch order.
 */
export function resolve(
  wave: readonly Item[],
  memory: Map<Item, string>,
  old: Map<Item, [string, number]>,
  globals: Globals,
): Item[] {
  const claimers: Item[] = [];
  for (const it of wave) {
    const c = it.p.click;
    const known = memory.get(it) ?? '';
    const [unscoped = '', pttl = 1] = old.get(it) ?? [];
    if (known !== '') {
      it.outcome = fromMemory(known, it.content, c.ts);
    } else if (unscoped !== '' && contentOfMemory(unscoped) === it.content) {
      // Copied into the namespace; unacknowledged becomes '2' (unscoped), as verdicts.lua does.
      const copy = unscoped.startsWith('0') ? `2${unscoped.slice(1)}` : unscoped;
      it.outcome = fromMemory(copy, it.content, c.ts);
      it.write = { memory: copy, pttl: String(Math.max(pttl, 1)) };
    } else if (it.p.pre) {
      decided(it, it.p.pre, null);
    } else if (globals.blockedIps.has(c.ip) || globals.blockedUsers.has(c.user_id)) {
      decided(it, 'blocked', null);
    } else {
      claimers.push(it);
    }
  }
  return claimers;
}
