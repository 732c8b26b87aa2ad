/**
 * The ClickHouse statements `tollbooth migrate up` sends on a fresh database, rendered by the
 * migrator's own code against a recording client: the database, the migration log and the job
 * registry, then the `up` section of every ClickHouse migration file in order, each statement
 * with its placeholders filled by runClickhouseStatements (the migrator's runner).
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../../src/shared/config.ts';
import { sqlIdentifier } from '../../src/shared/clickhouse.ts';
import { JobRegistry } from '../../src/flink/job-registry.ts';
import { ClickhouseMigrationStorage } from '../../src/migrate/clickhouse-storage.ts';
import { ensureDatabase, runClickhouseStatements } from '../../src/migrate/clickhouse-sql.ts';
import { listMigrations, sqlSections } from '../../src/migrate/migration-files.ts';
import { RecordingClient, type Statement } from './recording-client.ts';

/** A statement's first line, to name it. */
const firstLine = (sql: string): string => {
  const line = sql.split('\n')[0]?.trim() ?? '';
  return line.length > 70 ? `${line.slice(0, 70)}…` : line;
};

/** What the log's and the registry's reads find on a fresh database once their tables exist. */
function answer(query: string): unknown[] {
  if (query.startsWith('DESCRIBE TABLE'))
    return ['name', 'event', 'at', 'checksum'].map((name) => ({ name, type: 'String' }));
  if (query.startsWith('EXISTS TABLE')) return [{ result: 1 }];
  if (query.includes('max(at) AS at')) return [{ at: '0' }];
  return [];
}

export async function migrationStatements(config: Config): Promise<Statement[]> {
  const rec = new RecordingClient(answer);
  const db = config.clickhouse.database;
  const files = listMigrations(config.migrationsDir);
  const storage = new ClickhouseMigrationStorage(rec.client, db, new Map(files.map((f) => [f.name, f.checksum])));
  const registry = new JobRegistry(rec.client, db);

  await rec.during('migrate: the database', () => ensureDatabase(rec.client, config));
  await rec.during('migrate: the migration log', () => storage.ensureTable());
  await rec.during('migrate: the job registry', () => registry.ensureTable());
  // The migrations' client names the project's database as its current one (an option of the
  // client, sent with each request); in one session that is USE.
  rec.add('migrate: the current database', `USE ${sqlIdentifier(db)}`);

  for (const m of files.filter((f) => f.kind === 'clickhouse')) {
    const where = `migrations/${m.name}.sql`;
    const up = sqlSections(readFileSync(m.file, 'utf8'), where).up;
    for (const [i, statement] of up.entries())
      await rec.during(`${where}, up #${i + 1}: ${firstLine(statement)}`, () =>
        runClickhouseStatements(rec.client, config, [statement]),
      );
    await rec.during(`migrate: ${m.name} logged`, () => storage.logMigration({ name: m.name }));
  }

  await rec.during('migrate: a job deploy recorded', () =>
    registry.record({
      name: 'clicks_pipeline',
      hash: 'abc123',
      jobId: 'f00d',
      event: 'running',
      savepoint: '',
      setup: ["CREATE TEMPORARY TABLE t (x STRING) WITH ('connector' = 'kafka')"],
      inserts: ['INSERT INTO t SELECT 1'],
    }),
  );
  await rec.during('migrate status: the applied migrations', () => storage.applied());
  await rec.during('jobs: the registry', () => registry.all());
  return rec.statements;
}
