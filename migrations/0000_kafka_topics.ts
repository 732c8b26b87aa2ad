/**
 * Creates the Kafka topics: `clicks` and `clicks_rejected` (partitions and retention from
 * config) and `pipeline_out` (one partition, the Flink job's output).
 * Impact: topic creation only. Safe to run twice (creates what is missing).
 * Rollback (`down`): nothing; topics hold the clicks and are never deleted by a migration.
 */
import { ensureTopics } from '../src/shared/topics.ts';
import type { MigrationContext } from '../src/migrate/context.ts';

export async function up({ context }: { context: MigrationContext }): Promise<void> {
  await ensureTopics(context.config);
}

export async function down(): Promise<void> {}
