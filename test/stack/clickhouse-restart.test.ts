/**
 * The read models survive a ClickHouse restart: 18.16 re-parses every view from its metadata
 * at start-up, and a view that worked before can fail after (it did, with Array(Tuple)).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { servicesDown, servicesUp } from '../../src/stack/stack.ts';
import { createClickHouse, sqlIdentifier } from '../../src/shared/clickhouse.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { applyClickhouseSchema } from '../../src/migrate/clickhouse-sql.ts';
import { assertTestResource, testPrefix } from '../helpers/prefix.ts';

const config = loadConfig({ TOLLBOOTH_CLICKHOUSE_DATABASE: `${testPrefix('chrestart')}db` });
const db = sqlIdentifier(config.clickhouse.database);
let client = createClickHouse(config);

afterAll(async () => {
  assertTestResource(db);
  await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await client.close();
});

async function readViews(): Promise<Record<string, unknown[]>> {
  const rs = await client.query({
    query: `SELECT name FROM system.tables WHERE database = '${db}' AND engine = 'View' ORDER BY name`,
    format: 'JSONEachRow',
  });
  const views = ((await rs.json()) as Array<{ name: string }>).map((v) => v.name);
  const out: Record<string, unknown[]> = {};
  for (const v of views)
    out[v] = await (
      await client.query({ query: `SELECT * FROM ${db}.${v} ORDER BY 1, 2`, format: 'JSONEachRow' })
    ).json();
  return out;
}

describe('ClickHouse read models', () => {
  it('read the same after a server restart', async () => {
    await applyClickhouseSchema(config);
    const row = { ad_id: 'ad-1', window_start: '2026-01-01 00:00:00', window_end: '2026-01-01 00:01:00' };
    await client.insert({
      table: `${db}.ad_clicks_minute_log`,
      values: [
        { ...row, clicks: 7, kafka_offset: 3 },
        { ...row, clicks: 2, kafka_offset: 9 },
      ],
      format: 'JSONEachRow',
    });
    await client.insert({
      table: `${db}.ad_clicks_partial`,
      values: [{ ad_id: 'ad-1', campaign_id: 'c', window_start: '2026-01-01 00:01:00', clicks: 4, kafka_offset: 11 }],
      format: 'JSONEachRow',
    });
    const before = await readViews();
    expect(before['ad_clicks_minute']).toEqual([{ ...row, clicks: '7' }]);

    await client.close();
    // A stop on purpose: its pid file goes first, so the stack's supervisor does not restart it
    // behind the test's back; `servicesUp` starts it again and the supervisor adopts it.
    await servicesDown(config, ['clickhouse']);
    const [report] = await servicesUp(config, ['clickhouse']);
    expect(report?.ok).toBe(true);
    client = createClickHouse(config);
    expect(await readViews()).toEqual(before);
  });
});
