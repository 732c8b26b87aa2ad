/** The verdict model's test fixtures: clicks of a keyed sender at T0, and a memory store to decide them. */
import type { Click } from '../shared/click.ts';
import { anonLimiter } from './address.ts';
import { decideVerdicts } from './decide.ts';
import { MemoryVerdictStore } from './memory-store.ts';

export const MINUTE = 60_000;
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
export const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

export function click(over: Partial<Click> = {}): Click {
  const c = {
    click_id: `c${Math.random().toString(36).slice(2)}`,
    ad_id: 'ad1',
    user_id: 'u1',
    ts: T0,
    ip: '10.0.0.1',
    user_agent: BROWSER,
    campaign_id: null,
    sender: 'server-a',
    ...over,
  };
  return { client_ts: c.ts, ...c };
}

const addressLimit = anonLimiter({
  perAddressAd: 5,
  perAddress: 30,
  natRanges: [{ cidr: '100.64.0.0/10', perAddress: 60 }],
});

export function setup(receivedAt: number | null = null) {
  const store = new MemoryVerdictStore({ ratePerWindow: 5 });
  const decisions = (clicks: Click[], at = receivedAt) =>
    decideVerdicts(store, clicks, { windowMs: MINUTE, receivedAt: at, addressLimit });
  return {
    store,
    decisions,
    decide: async (clicks: Click[], at = receivedAt) => (await decisions(clicks, at)).map((d) => d.verdict),
  };
}
