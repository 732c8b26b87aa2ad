/**
 * History is immutable: an applied migration whose file changed is refused by `up`; a database
 * made by the first release's migrations is baselined and ends with the same schema as a fresh
 * one that replays the SQL files.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/shared/config.ts';
import { createClickHouse, sqlIdentifier, sqlString } from '../../src/shared/clickhouse.ts';
import { logger } from '../../src/shared/logger.ts';
import { fillTemplate } from '../../src/shared/template.ts';
import { ensureTopics } from '../../src/shared/topics.ts';
import { topicNames } from '../../src/shared/names.ts';
import { ChangedMigrationError, createMigrator } from '../../src/migrate/migrator.ts';
import { LEGACY_MIGRATIONS } from '../../src/migrate/baseline.ts';
import { deleteTopics, testKafka } from '../helpers/kafka.ts';
import { assertTestResource, testPrefix } from '../helpers/prefix.ts';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';

const quiet = logger.child({}, { level: 'warn' });
const startPipeline = usePipelines();
const client = createClickHouse(loadConfig({}));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await client.close();
});

function dropDatabaseLater(db: string): void {
  assertTestResource(db);
  cleanups.push(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${sqlIdentifier(db)}` });
  });
}

async function databaseExists(db: string): Promise<boolean> {
  const rs = await client.query({
    query: `SELECT count() AS n FROM system.databases WHERE name = ${sqlString(db)}`,
    format: 'JSONEachRow',
  });
  return Number(((await rs.json()) as Array<{ n: string }>)[0]?.n) > 0;
}

/** Every table and view of a database as SHOW CREATE prints it, the database name taken out. */
async function schemaOf(ch: ClickHouseClient, db: string): Promise<Record<string, string>> {
  const rs = await ch.query({
    query: `SELECT name FROM system.tables WHERE database = ${sqlString(db)} AND name NOT IN ('schema_migrations', 'flink_jobs') ORDER BY name`,
    format: 'JSONEachRow',
  });
  const out: Record<string, string> = {};
  for (const { name } of (await rs.json()) as Array<{ name: string }>) {
    const show = await ch.query({
      query: `SHOW CREATE TABLE ${sqlIdentifier(db)}.${sqlIdentifier(name)}`,
      format: 'TabSeparatedRaw',
    });
    out[name] = (await show.text()).split(db).join('DB');
  }
  return out;
}

/** A database as the first release left it: its schema files applied, its five migrations logged. */
async function legacyDatabase(config: Config): Promise<void> {
  const db = sqlIdentifier(config.clickhouse.database);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({
    query: `CREATE TABLE ${db}.schema_migrations (name String, event String, at UInt64) ENGINE = MergeTree ORDER BY (name, at)`,
  });
  const fixtures = path.join(config.repoRoot, 'test', 'fixtures', 'legacy-schema');
  for (const f of readdirSync(fixtures)
    .filter((x) => x.endsWith('.sql'))
    .sort()) {
    const text = fillTemplate(readFileSync(path.join(fixtures, f), 'utf8'), { DB: db });
    const statements = text
      .split('\n')
      .filter((l) => !l.trim().startsWith('--'))
      .join('\n')
      .split(/;\s*(?:\n|$)/)
      .map((s) => s.trim())
      .filter(Boolean);
    for (const query of statements) await client.command({ query });
  }
  const base = Date.now();
  await client.insert({
    table: `${db}.schema_migrations`,
    values: LEGACY_MIGRATIONS.map((name, i) => ({ name, event: 'up', at: base + i })),
    format: 'JSONEachRow',
  });
  await ensureTopics(config);
}

describe('migration history', () => {
  it('refuses to migrate while an applied file has changed, naming it', async () => {
    const prefix = testPrefix('hist');
    const dir = mkdtempSync(path.join(tmpdir(), 'tollbooth-history-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({ TOLLBOOTH_CLICKHOUSE_DATABASE: `${prefix}db`, TOLLBOOTH_MIGRATIONS_DIR: dir });
    dropDatabaseLater(config.clickhouse.database);
    const a =
      '-- a table\n-- migrate:up\nCREATE TABLE IF NOT EXISTS t1 (x UInt8) ENGINE = MergeTree ORDER BY x;\n-- migrate:down\nDROP TABLE t1;\n';
    writeFileSync(path.join(dir, '0001_a.sql'), a);
    writeFileSync(
      path.join(dir, '0002_b.sql'),
      '-- migrate:up\nCREATE VIEW IF NOT EXISTS v1 AS SELECT x FROM ${DB}.t1;\n-- migrate:down\nDROP TABLE v1;\n',
    );
    const first = await createMigrator(config, quiet);
    // status is a read: on a database never migrated it reports everything pending and creates nothing.
    expect((await first.status()).map((s) => s.state)).toEqual(['pending', 'pending']);
    expect(await databaseExists(config.clickhouse.database)).toBe(false);
    expect((await first.up()).applied).toEqual(['0001_a', '0002_b']);
    await first.close();

    writeFileSync(path.join(dir, '0001_a.sql'), a.replace('x UInt8', 'x UInt16'));
    writeFileSync(
      path.join(dir, '0003_c.sql'),
      '-- migrate:up\nCREATE TABLE IF NOT EXISTS t3 (y UInt8) ENGINE = MergeTree ORDER BY y;\n',
    );
    const second = await createMigrator(config, quiet);
    try {
      expect((await second.status()).map((s) => [s.file, s.state])).toEqual([
        ['0001_a.sql', 'changed'],
        ['0002_b.sql', 'applied'],
        ['0003_c.sql', 'pending'],
      ]);
      await expect(second.up()).rejects.toThrow(ChangedMigrationError);
      await expect(second.up()).rejects.toThrow(/0001_a\.sql changed after it was applied/);
      // down checks the same: reverting past an edited file would run SQL nobody applied.
      await expect(second.down()).rejects.toThrow(/refusing to revert: migrations\/0001_a\.sql changed/);
      expect((await second.status()).find((s) => s.name === '0002_b')?.state).toBe('applied');
      expect((await second.status()).find((s) => s.name === '0003_c')?.state).toBe('pending');
    } finally {
      await second.close();
    }
    // Restored, it runs again.
    writeFileSync(path.join(dir, '0001_a.sql'), a);
    const third = await createMigrator(config, quiet);
    expect((await third.up()).applied).toEqual(['0003_c']);
    await third.close();
  });

  it('baselines a database made by the first release to the same schema as a fresh one', async () => {
    const prefix = testPrefix('legacy');
    const config = loadConfig({
      ...FAST_WINDOWS,
      TOLLBOOTH_TOPIC_PREFIX: prefix,
      TOLLBOOTH_CLICKHOUSE_DATABASE: `${prefix}db`,
    });
    dropDatabaseLater(config.clickhouse.database);
    const kafka = testKafka(config, `${prefix}test`);
    const topics = topicNames(config);
    cleanups.push(() => deleteTopics(kafka, [topics.clicks, topics.rejected, topics.pipelineOut]));
    await legacyDatabase(config);

    const migrator = await createMigrator(config, quiet);
    try {
      const { applied, baseline } = await migrator.up();
      expect(baseline).toBe('baselined');
      expect(applied).toEqual(migrator.files.map((f) => f.name).filter((n) => n >= '0004'));
      expect((await migrator.status()).every((s) => s.state === 'applied')).toBe(true);
      // A second up finds nothing to do and nothing to baseline.
      expect(await migrator.up()).toEqual({ applied: [], baseline: 'not-needed' });
      for (const job of await migrator.context.jobs.status())
        if (!['FINISHED', 'CANCELED', 'FAILED', 'UNKNOWN'].includes(job.state))
          await migrator.context.jobs.rest.cancelJob(job.jobId);
    } finally {
      await migrator.close();
    }

    const fresh = await startPipeline('fresh', FAST_WINDOWS);
    const legacy = await schemaOf(client, config.clickhouse.database);
    expect(Object.keys(legacy)).toEqual(
      expect.arrayContaining(['ad_clicks_partial', 'dead_letters', 'clicks_late', 'ad_clicks_minute']),
    );
    expect(legacy).toEqual(await schemaOf(client, fresh.config.clickhouse.database));
  });
});
