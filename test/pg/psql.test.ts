/**
 * The Postgres-wire endpoint with the real psql client over a test pipeline fed through the
 * ingest: psql's numbers equal the stats API's, writes are refused by ClickHouse's readonly
 * profile with a Postgres error while the session goes on, only an API key of scope "all" logs in,
 * and hostile SQL only ever errors.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allScopeKeys } from '../../src/api/pg/main.ts';
import { startPgServer, type PgServer } from '../../src/api/pg/server.ts';
import { logger } from '../../src/shared/logger.ts';
import { EXPECTED, startStatsFixture, type StatsFixture } from '../dashboard/fixture.ts';
import { psql, rowsOf, type PsqlTarget } from './psql.ts';

let fx: StatsFixture;
let pg: PgServer;
let target: PsqlTarget;

beforeAll(async () => {
  fx = await startStatsFixture('pg');
  const log = logger.child({ component: 'pg-test' }, { level: 'warn' });
  pg = await startPgServer({ config: fx.config, verifyPassword: allScopeKeys(fx.config.api.keysFile), log, port: 0 });
  target = { host: fx.config.host, port: pg.port, database: 'tollbooth', password: fx.keys.all };
});
afterAll(async () => {
  await pg?.close();
  await fx?.close();
});

async function rest<T>(url: string): Promise<T> {
  const res = await fx.api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${fx.keys.all}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

async function rawClicks(): Promise<number> {
  const rows = await fx.pipeline.rows<{ n: string }>(
    `SELECT uniqExact(click_id) AS n FROM ${fx.config.clickhouse.database}.clicks_raw`,
  );
  return Number(rows[0]?.n);
}

const hour = () => {
  const to = Date.now();
  return `from=${to - 3_600_000}&to=${to}`;
};

/** "2026-01-01 00:01:00+00" (a Postgres timestamptz in UTC) as epoch ms. */
const epochMs = (timestamp: string) => Date.parse(timestamp.replace(' ', 'T').replace(/\+00$/, 'Z'));

// The stats API's rule in SQL: final counts for closed windows, provisional ones after the watermark.
const TOP_SQL = `
SELECT ad_id, sum(clicks) AS clicks FROM (
  SELECT ad_id, clicks FROM ad_clicks_minute WHERE window_start >= now() - 3600
  UNION ALL
  SELECT ad_id, clicks FROM ad_clicks_provisional WHERE window_start >= (SELECT max(window_end) FROM windows_closed)
) GROUP BY ad_id ORDER BY clicks DESC, ad_id`;

describe('psql against the Postgres-wire endpoint', () => {
  it('gets the same top ads, minute buckets, rejected and late counts as the REST API', async () => {
    const top = await psql(target, { sql: TOP_SQL });
    expect(top.stderr).toBe('');
    const viaPsql = rowsOf(top.stdout).map(([ad_id, clicks]) => ({ ad_id, clicks: Number(clicks) }));
    const viaRest = await rest<{ ads: { ad_id: string; clicks: number }[] }>(`/v1/ads/top?${hour()}&limit=10`);
    expect(viaPsql).toEqual(viaRest.ads);
    expect(viaPsql).toEqual(EXPECTED.top);

    const buckets = await psql(target, {
      sql: "SELECT window_start, clicks FROM ad_clicks_minute WHERE ad_id = 'ad-alpha' ORDER BY window_start",
    });
    const restBuckets = await rest<{ buckets: { start: string; clicks: number; final: boolean }[] }>(
      `/v1/ads/ad-alpha/clicks?${hour()}&granularity=minute`,
    );
    expect(
      rowsOf(buckets.stdout).map(([start, clicks]) => ({ start: epochMs(start ?? ''), clicks: Number(clicks) })),
    ).toEqual(
      restBuckets.buckets.filter((b) => b.final).map((b) => ({ start: Date.parse(b.start), clicks: b.clicks })),
    );

    const rejected = await psql(target, {
      sql: 'SELECT ad_id, verdict, sum(clicks) FROM ad_rejected_minute GROUP BY ad_id, verdict ORDER BY ad_id, verdict',
    });
    for (const [ad, counts] of Object.entries(EXPECTED.rejected)) {
      const viaRestCounts = (await rest<{ counts: Record<string, number> }>(`/v1/ads/${ad}/rejected?${hour()}`)).counts;
      const viaPsqlCounts = Object.fromEntries(
        rowsOf(rejected.stdout)
          .filter((r) => r[0] === ad)
          .map(([, verdict, n]) => [verdict, Number(n)]),
      );
      expect({ ...viaRestCounts, ...viaPsqlCounts }).toEqual(viaRestCounts); // psql lists verdicts that occurred
      expect(viaRestCounts).toEqual(counts);
    }

    const late = await psql(target, {
      sql: 'SELECT ad_id, sum(late) AS late FROM ad_late_minute GROUP BY ad_id ORDER BY ad_id',
    });
    const restLate = await rest<{ ads: { ad_id: string; late: number }[] }>(`/v1/late?${hour()}`);
    expect(rowsOf(late.stdout).map(([ad_id, n]) => ({ ad_id, late: Number(n) }))).toEqual(restLate.ads);
    expect(restLate.ads).toEqual(EXPECTED.late);
  });

  it('sends counts as integers and times as timestamps (psql right-aligns numbers)', async () => {
    const aligned = await psql(
      target,
      {
        sql: 'SELECT ad_id, sum(clicks) AS clicks, max(window_start) AS last FROM ad_clicks_minute GROUP BY ad_id ORDER BY ad_id',
      },
      ['-P', 'format=aligned', '-P', 'tuples_only=off'],
    );
    const gamma = aligned.stdout.split('\n').find((l) => l.includes('ad-gamma')) ?? '';
    expect(gamma).toMatch(/\|\s{5,}2 \| \d{4}-\d\d-\d\d \d\d:\d\d:00\+00$/); // "clicks" is 6 wide: "2" padded on the left
  });

  it('refuses writes with read_only_sql_transaction and keeps the session usable', async () => {
    const before = await rawClicks();
    const script = [
      'CREATE TABLE t (a UInt8) ENGINE = Memory;',
      'SELECT 1;',
      "INSERT INTO clicks_raw (click_id) VALUES ('forged');",
      'SELECT 2;',
      'DROP TABLE clicks_raw;',
      'SELECT uniqExact(click_id) FROM clicks_raw;',
      '\\q',
    ].join('\n');
    const session = await psql(target, { script });
    expect(session.code).toBe(0);
    expect(session.stderr.match(/ERROR: {2}25006: /g)).toHaveLength(3);
    expect(rowsOf(session.stdout)).toEqual([['1'], ['2'], [String(before)]]);
  });

  it('refuses a wrong password and an API key whose scope is not "all"', async () => {
    for (const password of ['not-a-key', fx.keys.advertiser]) {
      const denied = await psql({ ...target, password }, { sql: 'SELECT 1' });
      expect(denied.code).toBe(2);
      expect(denied.stderr).toContain('password authentication failed for user "analyst"');
    }
  });

  it('answers hostile SQL with errors only, leaving the data intact', async () => {
    const before = await rawClicks();
    const script = [
      "SELECT 1 FROM clicks_raw WHERE ad_id = '' OR 1 = 1; DROP TABLE clicks_raw; --'",
      'SELECT 1 SETTINGS readonly = 0;',
      'SYSTEM SHUTDOWN;',
      'KILL QUERY WHERE 1 SYNC;',
      "SELECT * FROM file('/etc/passwd', TSV, 'line String');",
      'SELECT number FROM system.numbers;',
      'SELECT 1 FORMAT TabSeparated;',
      'OPTIMIZE TABLE clicks_raw FINAL;',
      `SELECT '${'x'.repeat(300_000)}';`, // past ClickHouse's max_query_size
      '\\dt',
      "SELECT 'still here';",
    ].join('\n');
    const session = await psql(target, { script });
    expect(session.code).toBe(0);
    expect(session.stdout.trim().split('\n').at(-1)).toBe('still here');
    // statement kind or readonly refusal, file() outside user_files and system tables, FORMAT clause, length bound
    for (const sqlstate of ['25006', '42501', '0A000', '54001'])
      expect(session.stderr).toContain(`ERROR:  ${sqlstate}: `);
    expect(session.stderr).not.toMatch(/FATAL|connection to server was lost/);
    expect(await rawClicks()).toBe(before);
  });

  it('answers several statements in one query, empty queries, and \\q', async () => {
    const multi = await psql(target, { sql: "SELECT 1; SELECT 'a;b'; SELECT 3" });
    expect(rowsOf(multi.stdout)).toEqual([['1'], ['a;b'], ['3']]);
    const empty = await psql(target, { script: ';\n-- nothing\n;\n\\q\n' });
    expect(empty).toMatchObject({ code: 0, stderr: '' });
  });

  it('runs the example session of docs/sql-clients.md with the numbers shown there', async () => {
    const doc = await readFile(path.join(fx.config.repoRoot, 'docs', 'sql-clients.md'), 'utf8');
    const session = doc.split('```text\n')[1]?.split('```')[0] ?? '';
    // Statements start at the prompt "tollbooth=> " and continue at "tollbooth-> ".
    const script = session
      .split('\n')
      .flatMap((l) => (/^tollbooth[=-]> /.test(l) ? [l.slice('tollbooth=> '.length)] : []))
      .join('\n');
    expect(script).toContain('ad_clicks_provisional');
    const run = await psql(target, { script }, ['-P', 'format=aligned', '-P', 'tuples_only=off']);
    expect(run.stderr.match(/ERROR: {2}\w+:/g)).toEqual(['ERROR:  25006:']); // the INSERT, as shown
    const shownRows = session
      .split('\n')
      .filter((l) => / ad-\w+ +\|/.test(l))
      .map((l) => l.trimEnd());
    expect(shownRows.length).toBeGreaterThan(4);
    const outputRows = new Set(run.stdout.split('\n').map((l) => l.trimEnd()));
    expect(shownRows.filter((l) => !outputRows.has(l))).toEqual([]);
  });
});
