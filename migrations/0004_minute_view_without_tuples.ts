/**
 * Replaces the final-minute view: the first emission of a window is now read with argMin
 * instead of an Array(Tuple) view, which ClickHouse 18.16 cannot re-read after a restart.
 * Impact: views only (ad_clicks_minute, ad_clicks_hour; ad_clicks_emissions is dropped), no data
 * is touched, no job restart; readers see an error for the moment between drop and create.
 * Safe to run twice. Rollback (`down`): nothing to undo; the old view was the defect.
 */
import type { MigrationContext } from '../src/migrate/migrator.ts';

export async function up({ context }: { context: MigrationContext }): Promise<void> {
  // The hour rollup reads the minute view: drop it first, then re-create both from 006.
  await context.dropClickhouse(['ad_clicks_hour', 'ad_clicks_minute', 'ad_clicks_emissions']);
  await context.applyClickhouse('006_views.sql');
}

export async function down(): Promise<void> {}
