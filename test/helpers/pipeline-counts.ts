/** What ClickHouse says, keyed like the ledger, for exact comparison. */
import type { TestPipeline } from './pipeline.ts';
import { eventually } from './prefix.ts';

type Keyed = Record<string, number>;

async function keyed(p: Pick<TestPipeline, 'rows'>, query: string): Promise<Keyed> {
  const rows = await p.rows<{ k: string; n: string }>(query);
  return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]).sort());
}

export function pipelineCounts(p: Pick<TestPipeline, 'config' | 'rows'>) {
  const db = p.config.clickhouse.database;
  return {
    windows: () =>
      keyed(
        p,
        `SELECT concat(ad_id, '|', toString(toUInt64(window_start) * 1000)) AS k, clicks AS n FROM ${db}.ad_clicks_minute`,
      ),
    hours: () =>
      keyed(
        p,
        `SELECT concat(ad_id, '|', toString(toUInt64(hour_start) * 1000)) AS k, clicks AS n FROM ${db}.ad_clicks_hour`,
      ),
    late: () =>
      keyed(
        p,
        `SELECT concat(ad_id, '|', toString(toUInt64(minute_start) * 1000)) AS k, late AS n FROM ${db}.ad_late_minute`,
      ),
    rejected: () =>
      keyed(
        p,
        `SELECT concat(ad_id, '|', toString(toUInt64(window_start) * 1000), '|', verdict) AS k, clicks AS n FROM ${db}.ad_rejected_minute`,
      ),
  };
}

/**
 * Reads until `read` gives `want` (the job publishes once per checkpoint) or 30 s pass, and
 * returns the last reading either way, so the test's own `toEqual` shows any difference.
 */
export async function settled<T>(read: () => Promise<T>, want: T, timeoutMs = 30_000): Promise<T> {
  return eventually(
    async () => {
      const now = await read();
      return JSON.stringify(now) === JSON.stringify(want) ? now : undefined;
    },
    timeoutMs,
    'counts to settle',
  ).catch(read);
}
