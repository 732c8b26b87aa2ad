/**
 * Creates the read models: final minute counts (first emission wins), hour rollups as sums of
 * final minutes, provisional counts, rejected and late counts.
 * Impact: views only, no data is copied, no job restart. Safe to run twice.
 * Rollback (`down`): drops the views; the tables stay.
 */
import type { MigrationContext } from '../src/migrate/migrator.ts';

const VIEWS = ['ad_clicks_minute', 'ad_clicks_hour', 'ad_clicks_provisional', 'ad_rejected_minute', 'ad_late_minute'];

export async function up({ context }: { context: MigrationContext }): Promise<void> {
  await context.applyClickhouse('006_views.sql');
}

export async function down({ context }: { context: MigrationContext }): Promise<void> {
  // Dependent views first: the hour rollup reads the minute view.
  await context.dropClickhouse([...VIEWS].reverse());
}
