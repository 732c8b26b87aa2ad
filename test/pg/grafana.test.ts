/**
 * Grafana's Postgres data source, replayed (Grafana itself cannot run here): the queries its
 * config editor and query builder send (version check, schema, table and column lists, from
 * grafana/grafana's postgresMetaQuery.ts) and a time-series query after its macro expansion
 * ($__timeGroupAlias, $__timeFilter, $__timeFrom, $__unixEpochFilter, as macros.go expands them),
 * sent by node-postgres (Grafana's pgx sends the same text; the driver path is pgx's own test).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgFixture, type PgFixture } from './fixture.ts';

let fx: PgFixture;
let client: pg.Client;
beforeAll(async () => {
  fx = await startPgFixture('grafana');
  client = new pg.Client(fx.target);
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await fx?.close();
});

// buildSchemaConstraint() of postgresMetaQuery.ts
const SCHEMA_CONSTRAINT = `quote_ident(table_schema) IN (
  SELECT CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
  FROM generate_series(array_lower(string_to_array(current_setting('search_path'),','),1), array_upper(string_to_array(current_setting('search_path'),','),1)) as i,
       string_to_array(current_setting('search_path'),',') s)`;

describe('Grafana Postgres data source', () => {
  it('passes the version check, health check and lists schemas, tables and columns', async () => {
    expect((await client.query("SELECT current_setting('server_version_num')::int/100 as version")).rows).toEqual([
      { version: 1500 },
    ]);
    expect((await client.query('SELECT 1')).rows).toHaveLength(1);
    const schemas = await client.query(
      `SELECT schema_name AS "name" FROM information_schema.schemata WHERE schema_name NOT IN ('information_schema', 'pg_catalog', 'pg_toast') ORDER BY schema_name`,
    );
    expect(schemas.rows).toEqual([{ name: 'public' }]);
    const tables =
      await client.query(`SELECT CASE WHEN ${SCHEMA_CONSTRAINT} THEN quote_ident(table_name) ELSE quote_ident(table_schema) || '.' || quote_ident(table_name) END AS "table"
      FROM information_schema.tables WHERE quote_ident(table_schema) NOT IN ('information_schema', 'pg_catalog') ORDER BY CASE WHEN ${SCHEMA_CONSTRAINT} THEN 0 ELSE 1 END, 1`);
    expect(tables.rows).toEqual([{ table: 'ad_stats' }]);
    const inSchema = await client.query(
      `SELECT quote_ident(table_name) AS "table" FROM information_schema.tables WHERE quote_ident(table_schema) = 'public' ORDER BY 1`,
    );
    expect(inSchema.rows).toEqual([{ table: 'ad_stats' }]);
    const columns =
      await client.query(`SELECT quote_ident(column_name) AS "column", data_type AS "type" FROM information_schema.columns
      WHERE CASE WHEN array_length(parse_ident('ad_stats'),1) = 2 THEN quote_ident(table_schema) = (parse_ident('ad_stats'))[1] AND quote_ident(table_name) = (parse_ident('ad_stats'))[2]
      ELSE quote_ident(table_name) = 'ad_stats' AND ${SCHEMA_CONSTRAINT} END`);
    expect(columns.rows.slice(0, 2)).toEqual([
      { column: 'ad_id', type: 'text' },
      { column: 'clicks', type: 'bigint' },
    ]);
    expect(columns.rows).toContainEqual({ column: 'window_start', type: 'timestamp with time zone' });
  });

  it('runs a time series query as Grafana expands its macros', async () => {
    // $__timeGroupAlias(window_start, '1m'), $__timeFilter(window_start) over 2026-01-01 00:00 to 00:02:30 UTC
    const sql = `SELECT floor(extract(epoch from window_start)/60)*60 AS "time", sum(clicks) AS clicks FROM ad_stats
      WHERE window_start BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-01T00:02:30.5Z' GROUP BY 1 ORDER BY 1`;
    const res = await client.query(sql);
    expect(res.rows.map((r: { time: number; clicks: string }) => [Number(r.time), Number(r.clicks)])).toEqual([
      [1767225660, 14],
      [1767225720, 9],
    ]);
    // $__time(window_start), $__timeFrom(), $__unixEpochFilter on toUnixTimestamp
    const raw = await client.query(
      `SELECT window_start AS "time", ad_id FROM ad_stats WHERE window_start >= '2026-01-01T00:02:00Z' AND toUnixTimestamp(window_start) >= 1767225720 AND toUnixTimestamp(window_start) <= 1767225780 ORDER BY 1`,
    );
    expect(raw.rows.map((r: { time: Date; ad_id: string }) => [r.time.toISOString(), r.ad_id])).toEqual([
      ['2026-01-01T00:02:00.000Z', 'ad-beta'],
      ['2026-01-01T00:03:00.000Z', 'ad-gamma'],
    ]);
  });
});
