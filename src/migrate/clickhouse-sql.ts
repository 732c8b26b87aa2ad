/** Runs ClickHouse migration statements, with the project's database as the current one. */
import type { ClickHouseClient } from '@clickhouse/client';
import { readFileSync } from 'node:fs';
import type { Config } from '../shared/config.ts';
import { createClickHouse, sqlIdentifier } from '../shared/clickhouse.ts';
import { listMigrations, sqlSections } from './migration-files.ts';
import { fillTemplate } from '../shared/template.ts';
import { clickhousePlaceholders } from './placeholders.ts';

/** Fills the placeholders and runs each statement in order; the first failure stops the file. */
export async function runClickhouseStatements(
  client: ClickHouseClient,
  config: Config,
  statements: string[],
): Promise<void> {
  const values = clickhousePlaceholders(config);
  for (const statement of statements) await client.command({ query: fillTemplate(statement, values) });
}

export async function ensureDatabase(client: ClickHouseClient, config: Config): Promise<void> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(config.clickhouse.database)}` });
}

/**
 * The `up` of every ClickHouse migration file, in order, without the log, topics or jobs: the
 * schema alone, for benchmarks and tests that need the tables but not a pipeline.
 */
export async function applyClickhouseSchema(config: Config): Promise<void> {
  const client = createClickHouse(config, { database: config.clickhouse.database });
  try {
    const admin = createClickHouse(config);
    await ensureDatabase(admin, config).finally(() => admin.close());
    for (const m of listMigrations(config.migrationsDir).filter((f) => f.kind === 'clickhouse')) {
      await runClickhouseStatements(client, config, sqlSections(readFileSync(m.file, 'utf8'), m.name).up);
    }
  } finally {
    await client.close();
  }
}
