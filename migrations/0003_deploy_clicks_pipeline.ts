/**
 * Deploys the Flink job `clicks_pipeline` (sql/flink/clicks_pipeline.sql): event-time windows
 * per ad, dedup on click_id, late clicks to their own output, exactly once into `pipeline_out`.
 * Impact: starts the job; if a different version of its SQL runs, stops that one with a
 * savepoint and starts this one from it (state-compatible change: same operators, same keys).
 * A change that breaks state compatibility needs a new migration with
 * `{ restore: 'offsets', fromMs }` instead, which starts from the Kafka offsets at that time.
 * Safe to run twice: an unchanged, running job is left alone.
 * Rollback (`down`): stops the job with a savepoint; the next `up` resumes from it.
 */
import type { MigrationContext } from '../src/migrate/migrator.ts';

export async function up({ context }: { context: MigrationContext }): Promise<void> {
  await context.jobs.deploy('clicks_pipeline', { restore: 'savepoint' });
}

export async function down({ context }: { context: MigrationContext }): Promise<void> {
  await context.jobs.stop('clicks_pipeline');
}
