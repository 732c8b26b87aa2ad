import { describe, expect, it } from 'vitest';
import { Ledger, percentile, totalsByAd } from './ledger.ts';
import { DEFAULT_SHAPE, Workload, zipfTable } from './workload.ts';

const MINUTE = 60_000;

describe('the bench workload', () => {
  const w = new Workload(DEFAULT_SHAPE, 7, 'r');
  const all = Array.from({ length: 200 }, () => w.next(MINUTE));
  const clicks = all.flatMap((b) => b.clicks);

  it('is the same sequence for the same seed', () => {
    expect(new Workload(DEFAULT_SHAPE, 7, 'r').next(MINUTE)).toEqual(all[0]);
    expect(new Workload(DEFAULT_SHAPE, 8, 'r').next(MINUTE)).not.toEqual(all[0]);
  });

  it('gives unique click_ids and skews ads: the top ad gets about a tenth of the clicks', () => {
    expect(new Set(clicks.map((c) => c.click_id)).size).toBe(clicks.length);
    const top = clicks.filter((c) => c.ad_id === 'ad-1').length / clicks.length;
    expect(top).toBeGreaterThan(0.08);
    expect(top).toBeLessThan(0.13);
    expect(zipfTable(10, 1).at(-1)).toBeCloseTo(1);
  });

  it('repeats about 2% of clicks and resends about 1% of batches', () => {
    const pairs = new Set<string>();
    let repeats = 0;
    for (const c of clicks) {
      const key = `${c.user_id}/${c.ad_id}`;
      if (pairs.has(key)) repeats++;
      pairs.add(key);
    }
    // Random pairs also collide now and then (100,000 users × a skewed 10,000 ads): a little above 2%.
    expect(repeats / clicks.length).toBeGreaterThan(0.015);
    expect(repeats / clicks.length).toBeLessThan(0.04);
    const resends = new Workload({ ...DEFAULT_SHAPE, batchSize: 1 }, 3, 'r');
    const share = Array.from({ length: 20_000 }, () => resends.next(0)).filter((b) => b.resend).length / 20_000;
    expect(share).toBeGreaterThan(0.006);
    expect(share).toBeLessThan(0.014);
  });
});

describe('the ledger', () => {
  const c = (id: string, ad: string, ts: number) => ({ click_id: id, ad_id: ad, user_id: 'u', ts });

  it('counts accepted clicks per ad and minute, resends never, and flags a resend whose verdict changed', () => {
    const ledger = new Ledger(MINUTE);
    const batch = [c('a', 'ad-1', 1000), c('b', 'ad-1', MINUTE + 5), c('d', 'ad-2', 10)];
    ledger.recordFirst(batch, ['accepted', 'accepted', 'duplicate']);
    ledger.recordResend(batch, ['accepted', 'accepted', 'duplicate'], ['accepted', 'duplicate', 'duplicate']);
    const s = ledger.summary(0, 1);
    expect(s.counted.sort()).toEqual([
      ['ad-1', 0, 1],
      ['ad-1', MINUTE, 1],
    ]);
    expect(s.taken).toBe(6);
    expect(s.resendMismatches).toBe(1);
    expect(s.verdicts).toEqual({ accepted: 2, duplicate: 1 });
    expect(totalsByAd(s)).toEqual(new Map([['ad-1', 2]]));
  });

  it('counts every click of a baseline, which gives no verdicts', () => {
    const ledger = new Ledger(MINUTE);
    ledger.recordFirst([c('a', 'ad-1', 0), c('b', 'ad-2', 0)], undefined);
    expect(totalsByAd(ledger.summary(0, 1))).toEqual(
      new Map([
        ['ad-1', 1],
        ['ad-2', 1],
      ]),
    );
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(percentile([], 0.5)).toBeNaN();
  });
});
