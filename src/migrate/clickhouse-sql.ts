/** Runs the files of sql/clickhouse/ against the configured database, one statement at a time. */
import type { ClickHouseClient } from '@clickhouse/client';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import { sqlIdentifier } from '../shared/clickhouse.ts';
import { fillTemplate } from '../shared/template.ts';

/** Statements of a file: full-line comments dropped, split on `;` at line ends. */
export function clickhouseStatements(config: Config, file: string): string[] {
  const text = readFileSync(path.join(config.repoRoot, 'sql', 'clickhouse', file), 'utf8');
  const rendered = fillTemplate(text, { DB: sqlIdentifier(config.clickhouse.database) });
  return rendered
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function applyClickhouseFile(client: ClickHouseClient, config: Config, file: string): Promise<void> {
  for (const query of clickhouseStatements(config, file)) await client.command({ query });
}

export async function ensureDatabase(client: ClickHouseClient, config: Config): Promise<void> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(config.clickhouse.database)}` });
}

/** Drops tables or views of our database (a migration's `down`). */
export async function dropObjects(client: ClickHouseClient, config: Config, names: string[]): Promise<void> {
  const db = sqlIdentifier(config.clickhouse.database);
  for (const name of names) await client.command({ query: `DROP TABLE IF EXISTS ${db}.${sqlIdentifier(name)}` });
}
