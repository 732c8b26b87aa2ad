/**
 * The newest final window: the one pipeline figure that both the stats API's /metrics and
 * `tollbooth status` read (a small ClickHouse query).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlIdentifier } from './clickhouse.ts';
import type { Config } from './config.ts';
import { TABLES } from './names.ts';

/** Epoch ms of the newest final window's end (max window_end of windows_closed), undefined before the first. */
export async function newestFinalWindowEnd(config: Config, clickhouse: ClickHouseClient): Promise<number | undefined> {
  const db = sqlIdentifier(config.clickhouse.database);
  const rs = await clickhouse.query({
    query: `SELECT toUInt64(max(window_end)) * 1000 AS v FROM ${db}.${TABLES.windowsClosed}`,
    format: 'JSONEachRow',
  });
  const [row] = (await rs.json()) as Array<{ v: string | number | null }>;
  const end = row?.v === null || row?.v === undefined ? 0 : Number(row.v);
  return end === 0 ? undefined : end;
}
