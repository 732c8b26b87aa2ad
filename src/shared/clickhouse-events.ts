/**
 * Append-only event tables in ClickHouse (the migration log, the Flink job registry): the latest
 * event of a key is its state, read with argMax(..., at). 18.16 has no cheap UPDATE, so we never
 * change a row; `at` is strictly increasing, so two events of one millisecond still have an order.
 */
import type { ClickHouseClient } from '@clickhouse/client';

export async function appendEvent(
  client: ClickHouseClient,
  table: string,
  row: Record<string, string | number>,
): Promise<void> {
  const rs = await client.query({ query: `SELECT max(at) AS at FROM ${table}`, format: 'JSONEachRow' });
  const [last] = (await rs.json()) as Array<{ at: string }>;
  const at = Math.max(Date.now(), Number(last?.at ?? 0) + 1);
  await client.insert({ table, values: [{ ...row, at }], format: 'JSONEachRow' });
}
