/**
 * StatsStore on ClickHouse: runs the SQL of sql.ts as the `api` user, whose readonly=1 profile
 * holds the time limit, row cap, memory and threads (stack/clickhouse/users.xml), each query with
 * its own LIMIT, its latency measured, and its rows checked by a schema.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ClickHouseUnavailableError } from '../errors.ts';
import type { ApiMetrics } from '../metrics.ts';
import { adInCampaignsSql, clicksSql, lateSql, rejectedSql, topSql, type SqlContext } from './sql.ts';
import { REJECTED_COUNTS_ORDER } from '../../shared/verdict.ts';
import { REJECTED_VERDICTS, type RejectedCounts, type StatsStore } from './stats-store.ts';

/**
 * Server-side limit per query, set in the `api` profile of stack/clickhouse/users.xml (readonly=1:
 * no query can change it, so it is not sent). A dashboard polls every few seconds, so an answer
 * later than this is useless; the 31-day caps keep legitimate queries far below it.
 */
export const QUERY_TIMEOUT_SECONDS = 5;
/** The HTTP client waits a little longer, so that ClickHouse's own, clearer timeout error wins. */
export const CLIENT_TIMEOUT_MS = (QUERY_TIMEOUT_SECONDS + 1) * 1000;

// ClickHouse's JSON quotes 64-bit integers; coerce keeps exact values below 2^53.
const count = z.coerce.number().int().nonnegative();
const bucketRow = z.object({ start: count, clicks: count, late: count, final: count });
const adClicksRow = z.object({ ad_id: z.string(), clicks: count });
const verdictRow = z.object({ verdict: z.string(), clicks: count });
const lateRow = z.object({ ad_id: z.string(), late: count });
const countRow = z.object({ n: count });

export function clickhouseStats(client: ClickHouseClient, ctx: SqlContext, metrics: ApiMetrics): StatsStore {
  const rows = async <S extends z.ZodTypeAny>(name: string, query: string, schema: S): Promise<z.output<S>[]> => {
    const done = metrics.querySeconds.startTimer({ query: name });
    try {
      const rs = await client.query({ query, format: 'JSONEachRow' });
      const parsed = z.array(schema).parse(await rs.json());
      done({ outcome: 'ok' });
      return parsed;
    } catch (err) {
      done({ outcome: 'error' });
      throw new ClickHouseUnavailableError(name, err);
    }
  };

  return {
    async clicks(adId, granularity, range) {
      const found = await rows('clicks', clicksSql(ctx, adId, granularity, range), bucketRow);
      return found.map((r) => ({ startMs: r.start * 1000, clicks: r.clicks, late: r.late, final: r.final === 1 }));
    },
    async top(range, limit, scope) {
      return rows('top', topSql(ctx, range, limit, scope), adClicksRow);
    },
    async rejected(adId, range) {
      const found = await rows('rejected', rejectedSql(ctx, adId, range), verdictRow);
      const counts = Object.fromEntries(REJECTED_COUNTS_ORDER.map((v) => [v, 0])) as RejectedCounts;
      for (const r of found)
        if ((REJECTED_VERDICTS as readonly string[]).includes(r.verdict))
          counts[r.verdict as keyof RejectedCounts] = r.clicks;
      return counts;
    },
    async late(range, scope) {
      return rows('late', lateSql(ctx, range, scope), lateRow);
    },
    async adInCampaigns(campaigns, adId) {
      const [row] = await rows('ad_in_campaigns', adInCampaignsSql(ctx, campaigns, adId), countRow);
      return (row?.n ?? 0) > 0;
    },
    async ping() {
      await rows('ping', 'SELECT 1 AS n', countRow);
    },
  };
}
