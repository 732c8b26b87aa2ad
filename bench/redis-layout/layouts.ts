/**
 * The two Redis key layouts `npm run bench:redis-layout` compares, as the keys and arguments of
 * one script call per batch: today's (src/dedup/keys.ts: verdict memory, claim and rate list,
 * three keys) and the folded one of issue 19 (the claim and the rate list as fields of one hash
 * per user and window). Both scripts do only the key operations of a keyed click's verdict
 * (today.lua, folded.lua); the rest of verdicts.lua would be the same on both.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { duplicateKey, namespaceOf, rateKey, verdictKey } from '../../src/dedup/keys.ts';

export type LayoutName = 'today' | 'folded';
export const LAYOUTS: readonly LayoutName[] = ['today', 'folded'];

export interface LayoutClick {
  click_id: string;
  ad_id: string;
  user_id: string;
  ip: string;
  /** Index of the click's window of event time. */
  window: number;
}

export interface Layout {
  name: LayoutName;
  text: string;
  sha: string;
  /** The script's KEYS and per-click ARGV for a batch (after the three settings). */
  call(prefix: string, clicks: readonly LayoutClick[]): { keys: string[]; args: string[] };
}

const SENDER = 'bench';

/** The folded layout's one key per (sender, user, window), in the user's slot as today's keys. */
export function userWindowKey(prefix: string, userId: string, window: number): string {
  return `${prefix}u:{${namespaceOf(SENDER)}|${userId.length}:${userId}}:${window}`;
}

function load(name: LayoutName): { text: string; sha: string } {
  const text = readFileSync(new URL(`./${name}.lua`, import.meta.url), 'utf8');
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

export function layout(name: LayoutName): Layout {
  const call: Layout['call'] =
    name === 'today'
      ? (p, clicks) => ({
          keys: clicks.flatMap((c) => [
            verdictKey(p, SENDER, c.click_id),
            duplicateKey(p, SENDER, c.window, c.user_id, c.ad_id),
            rateKey(p, SENDER, c.window, c.user_id, c.ip),
          ]),
          args: clicks.map((c) => c.click_id),
        })
      : (p, clicks) => ({
          keys: clicks.flatMap((c) => [verdictKey(p, SENDER, c.click_id), userWindowKey(p, c.user_id, c.window)]),
          args: clicks.map((c) => `${c.click_id}\n${c.ad_id}\n${c.ip}`),
        });
  return { name, ...load(name), call };
}
