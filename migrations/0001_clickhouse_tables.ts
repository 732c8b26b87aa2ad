/**
 * Creates the ClickHouse tables the sink writes: raw accepted and rejected clicks, final window
 * counts, closed-window markers and late clicks.
 * Impact: DDL only, no job restart. Safe to run twice (CREATE ... IF NOT EXISTS).
 * Rollback (`down`): drops the tables and their data; the Kafka topics still hold the clicks,
 * so `up` followed by a sink restart from the beginning rebuilds them.
 */
import type { MigrationContext } from '../src/migrate/migrator.ts';

const FILES = ['001_clicks_raw.sql', '002_clicks_rejected.sql', '003_ad_clicks_minute.sql', '004_windows_closed.sql', '005_clicks_late.sql'];
const TABLES = ['clicks_raw', 'clicks_rejected', 'ad_clicks_minute_log', 'windows_closed', 'clicks_late'];

export async function up({ context }: { context: MigrationContext }): Promise<void> {
  for (const file of FILES) await context.applyClickhouse(file);
}

export async function down({ context }: { context: MigrationContext }): Promise<void> {
  await context.dropClickhouse(TABLES);
}
