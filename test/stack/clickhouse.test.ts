/** ClickHouse is the real thing: ReplacingMergeTree collapses a replayed row under FINAL. */
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { assertTestResource, testPrefix } from '../helpers/prefix.ts';

const config = loadConfig();
const client = createClickHouse(config);
const table = `default.${testPrefix('ch')}rmt`;

describe('ClickHouse 18.16', () => {
  afterAll(async () => {
    assertTestResource(table);
    await client.command({ query: `DROP TABLE IF EXISTS ${table}` });
    await client.close();
  });

  it('reads a row written twice once with FINAL', async () => {
    await client.command({
      query: `CREATE TABLE ${table} (ad_id String, window_start DateTime, clicks UInt64)
              ENGINE = ReplacingMergeTree ORDER BY (ad_id, window_start)`,
    });
    const row = { ad_id: 'ad-1', window_start: '2026-01-01 00:01:00', clicks: 7 };
    // Two separate inserts: two parts, so only FINAL (or a merge) can collapse them.
    await client.insert({ table, values: [row], format: 'JSONEachRow' });
    await client.insert({ table, values: [row], format: 'JSONEachRow' });

    const count = async (final: string) => {
      const rs = await client.query({ query: `SELECT count() AS n FROM ${table} ${final}`, format: 'JSONEachRow' });
      return Number(((await rs.json()) as Array<{ n: string }>)[0]?.n);
    };
    expect(await count('')).toBe(2);
    expect(await count('FINAL')).toBe(1);

    const version = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
    expect(((await version.json()) as Array<{ v: string }>)[0]?.v).toMatch(/^18\.16\./);
  });
});
