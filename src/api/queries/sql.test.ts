import { describe, expect, it } from 'vitest';
import { sqlString } from '../../shared/clickhouse.ts';
import {
  adInCampaignsSql,
  bucketRange,
  clicksSql,
  lateSql,
  rejectedSql,
  scopeCondition,
  sqlInt,
  topSql,
  windowRange,
} from './sql.ts';

const ctx = { database: 'tollbooth', windowSeconds: 60 };
const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
const range = { fromMs: T0, toMs: T0 + 3_600_000 };

/** The SQL with every string literal removed: what is left must hold none of the hostile text. */
function outsideLiterals(sql: string): string {
  return sql.replace(/'(?:\\.|[^'\\])*'/g, "''");
}

describe('stats SQL', () => {
  it('passes every value through sqlString, even ones validation would refuse', () => {
    const hostile = "x' OR 1=1 --\\'\n";
    for (const sql of [
      clicksSql(ctx, hostile, 'minute', range),
      rejectedSql(ctx, hostile, range),
      adInCampaignsSql(ctx, [hostile], hostile),
      topSql(ctx, range, 5, { kind: 'campaigns', campaigns: [hostile] }),
      lateSql(ctx, range, { kind: 'ad_prefixes', prefixes: [hostile] }),
    ]) {
      expect(sql).toContain(sqlString(hostile));
      expect(outsideLiterals(sql)).not.toContain('OR 1=1');
    }
  });

  it('refuses a database name that is not a plain identifier', () => {
    expect(() => clicksSql({ ...ctx, database: 'x; DROP' }, 'ad', 'minute', range)).toThrow(/identifier/);
  });

  it('sqlInt takes only non-negative safe integers', () => {
    expect(sqlInt(5)).toBe('5');
    for (const n of [-1, 1.5, NaN, Infinity, 2 ** 60]) expect(() => sqlInt(n)).toThrow();
  });

  it('caps rows and reads provisional counts only for windows the watermark has not passed', () => {
    const sql = clicksSql(ctx, 'ad-1', 'hour', range);
    expect(sql).toMatch(/LIMIT 50000$/);
    expect(sql).toContain('toStartOfHour(ws)');
    expect(sql).toMatch(
      /ad_clicks_provisional[\s\S]*window_start \+ 60 > \(SELECT max\(window_end\) FROM tollbooth\.windows_closed\)/,
    );
    expect(topSql(ctx, range, 7, { kind: 'all' })).toMatch(/LIMIT 7$/);
  });

  it('widens /clicks ranges to whole buckets and window ranges to whole seconds', () => {
    expect(bucketRange({ fromMs: T0 + 90_000, toMs: T0 + 150_001 }, 'minute')).toEqual({
      fromMs: T0 + 60_000,
      toMs: T0 + 180_000,
    });
    expect(bucketRange({ fromMs: T0 + 1, toMs: T0 + 2 }, 'hour')).toEqual({ fromMs: T0, toMs: T0 + 3_600_000 });
    expect(windowRange({ fromMs: T0 + 1, toMs: T0 + 1000 })).toEqual({ fromMs: T0 + 1000, toMs: T0 + 1000 });
  });

  it('turns scopes into conditions on ad_id', () => {
    expect(scopeCondition(ctx, { kind: 'all' })).toBe('1');
    expect(scopeCondition(ctx, { kind: 'ad_prefixes', prefixes: ['acme_', 'b'] })).toBe(
      "(substring(ad_id, 1, 5) = 'acme_' OR substring(ad_id, 1, 1) = 'b')",
    );
    expect(scopeCondition(ctx, { kind: 'campaigns', campaigns: ['c1'] })).toContain(
      "HAVING countIf(campaign_id NOT IN ('c1')) = 0",
    );
  });
});
