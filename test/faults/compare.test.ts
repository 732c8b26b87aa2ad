import { describe, expect, it } from 'vitest';
import { compare } from './compare.ts';
import type { LoadResult, SentClick } from './load.ts';

const click = (id: string, ad: string, ts: number): SentClick => ({
  click_id: id,
  ad_id: ad,
  user_id: id,
  ts,
  user_agent: 'x',
});
const load = (entries: Array<[SentClick, string]>, late: string[] = []): LoadResult => ({
  verdicts: new Map(entries.map(([c, v]) => [c.click_id, v])),
  clicks: new Map(entries.map(([c]) => [c.click_id, c])),
  conflicts: [],
  deliberatelyLate: new Set(late),
  requests: 0,
  resends: 0,
  refusedAt: [],
  faultAt: 0,
  endedAt: 0,
});

describe('compare (the fault ledger against final counts)', () => {
  const l = load(
    [
      [click('a', 'ad1', 60_000), 'accepted'],
      [click('b', 'ad1', 62_500), 'accepted'],
      [click('c', 'ad1', 1000), 'accepted'],
      [click('d', 'ad2', 60_500), 'duplicate'],
    ],
    ['c'],
  );

  it('counts a click delayed into the late output as counted, exactly once', () => {
    const r = compare(
      l,
      {
        windows: { 'ad1|60000': 1 },
        late: { 'ad1|0': 1, 'ad1|60000': 1 },
        rejected: { 'ad2|60000|duplicate': 1 },
        lateIds: ['c', 'a'],
        onTimeAndLateInKafka: new Set(),
      },
      2000,
    );
    expect(r).toEqual({
      accepted: 3,
      counted: 3,
      over: 0,
      under: 0,
      lateByFault: 1,
      onTimeAndLate: 0,
      lateMissing: 0,
      mismatches: [],
    });
  });

  it('reports clicks counted twice and clicks lost', () => {
    const r = compare(
      l,
      {
        windows: { 'ad1|60000': 2, 'ad1|62000': 1 },
        late: {},
        rejected: {},
        lateIds: [],
        onTimeAndLateInKafka: new Set(),
      },
      2000,
    );
    expect(r.over).toBe(1);
    expect(r.under).toBe(2);
    expect(r.mismatches).toHaveLength(3);
  });

  it('names a repeat of an on-time click that was also counted late', () => {
    const r = compare(
      l,
      {
        windows: { 'ad1|60000': 1, 'ad1|62000': 1 },
        late: { 'ad1|0': 1, 'ad1|60000': 1 },
        rejected: { 'ad2|60000|duplicate': 1 },
        lateIds: ['c', 'b'],
        onTimeAndLateInKafka: new Set(['b']),
      },
      2000,
    );
    expect(r.over).toBe(1);
    expect(r.onTimeAndLate).toBe(1);
  });
});
