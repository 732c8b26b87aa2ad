/**
 * The ClickHouse baseline: every click a row of a plain MergeTree table (one insert per batch),
 * counted by GROUP BY at read time, in a bench-prefixed database on the shared server.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlIdentifier, sqlString, toDateTime } from '../../src/shared/clickhouse.ts';
import type { BenchClick } from '../load/workload.ts';
import type { CountStore } from './count-store.ts';

export function clickhouseRawStore(client: ClickHouseClient, database: string): CountStore {
  const table = `${sqlIdentifier(database)}.clicks`;
  const rows = async (query: string): Promise<Array<Record<string, string>>> =>
    (await (await client.query({ query, format: 'JSONEachRow' })).json()) as Array<Record<string, string>>;
  const range = (fromMs: number, toMs: number) =>
    `ts >= ${sqlString(toDateTime(fromMs))} AND ts < ${sqlString(toDateTime(toMs))}`;
  const counts = (rs: Array<Record<string, string>>) =>
    rs.map((r) => ({ ad_id: r.ad_id ?? '', clicks: Number(r.clicks) }));
  return {
    async setUp() {
      await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(database)}` });
      await client.command({
        query: `CREATE TABLE IF NOT EXISTS ${table} (click_id String, ad_id String, user_id String, ts DateTime) ENGINE = MergeTree ORDER BY (ad_id, ts)`,
      });
    },
    async write(clicks: BenchClick[]) {
      await client.insert({
        table,
        format: 'JSONEachRow',
        values: clicks.map((c) => ({ click_id: c.click_id, ad_id: c.ad_id, user_id: c.user_id, ts: toDateTime(c.ts) })),
      });
    },
    async top(fromMs, toMs, limit) {
      return counts(
        await rows(
          `SELECT ad_id, count() AS clicks FROM ${table} WHERE ${range(fromMs, toMs)} GROUP BY ad_id ORDER BY clicks DESC LIMIT ${Math.floor(limit)}`,
        ),
      );
    },
    async adClicks(adId, fromMs, toMs) {
      const rs = await rows(
        `SELECT toUInt32(toStartOfMinute(ts)) AS start, count() AS clicks FROM ${table} WHERE ad_id = ${sqlString(adId)} AND ${range(fromMs, toMs)} GROUP BY start ORDER BY start`,
      );
      return rs.map((r) => ({ start: Number(r.start) * 1000, clicks: Number(r.clicks) }));
    },
    async countsByAd() {
      return counts(await rows(`SELECT ad_id, count() AS clicks FROM ${table} GROUP BY ad_id`));
    },
    async close() {
      await client.command({ query: `DROP DATABASE IF EXISTS ${sqlIdentifier(database)}` });
      await client.close();
    },
  };
}
