/**
 * psql's catalog commands and COPY against the endpoint: `\dt`, `\d`, `\d table` answered from
 * ClickHouse's system tables, `\copy ... to` a file and `COPY ... TO STDOUT` in text and CSV.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgFixture, type PgFixture } from './fixture.ts';
import { psql, type PsqlTarget } from './psql.ts';

let fx: PgFixture;
let target: PsqlTarget;
let dir: string;
beforeAll(async () => {
  fx = await startPgFixture('psqlcat');
  target = { host: fx.target.host, port: fx.target.port, database: fx.target.database, password: fx.target.password };
  dir = await mkdtemp(path.join(tmpdir(), 'tb-pg-copy-'));
});
afterAll(async () => {
  await fx?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('psql catalog commands', () => {
  it('lists tables with \\dt and \\d, and matches a pattern', async () => {
    for (const command of ['\\dt', '\\d', '\\dt ad_*']) {
      const run = await psql(target, { sql: command });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('public,ad_stats,table,tollbooth');
    }
    expect((await psql(target, { sql: '\\dt nothing_*' })).stderr).toContain(
      'Did not find any relation named "nothing_*"',
    );
  });

  it('describes a table with \\d: Postgres types, nullability', async () => {
    const run = await psql(target, { sql: '\\d ad_stats' });
    expect(run.stderr).toBe('');
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(',').slice(0, 4));
    expect(rows).toContainEqual(['clicks', 'bigint', '', 'not null']);
    expect(rows).toContainEqual(['window_start', 'timestamp with time zone', '', 'not null']);
    expect(rows).toContainEqual(['note', 'text', '', '']);
    expect(rows).toContainEqual(['tags', 'text[]', '', 'not null']);
    expect(rows).toHaveLength(13);
  });
});

describe('COPY', () => {
  it('writes \\copy (query) to a file in CSV with a header', async () => {
    const file = path.join(dir, 'ads.csv');
    const run = await psql(target, {
      sql: `\\copy (SELECT ad_id, clicks, note, first_seen FROM ad_stats ORDER BY ad_id) TO '${file}' WITH (FORMAT csv, HEADER)`,
    });
    expect(run.stderr).toBe('');
    expect(await readFile(file, 'utf8')).toBe(
      'ad_id,clicks,note,first_seen\nad-alpha,14,first,2026-01-01 00:00:30+00\nad-beta,9,,\nad-gamma,2,"x,y ""q""",2026-01-01 00:02:59+00\n',
    );
  });

  it('sends COPY table TO STDOUT in text format with \\N for NULL', async () => {
    const run = await psql(target, { sql: 'COPY ad_stats (ad_id, note, tags) TO STDOUT' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ad-alpha\tfirst\t{"a","b"}\nad-beta\t\\N\t{}\nad-gamma\tx,y "q"\t{"c"}\n');
  });
});
