/**
 * Replicated tables on a cluster (TOLLBOOTH_CLICKHOUSE_REPLICAS set): every MergeTree table the
 * sink, the job registry and the dead letters use becomes its Replicated* twin, its data moved
 * by ATTACH PARTITION (src/migrate/replicated-tables.ts); views stay views. On one node: nothing.
 * Runs on each replica (`tollbooth migrate up` visits them all); a replica that lost its disk
 * rejoins by the same command and fetches its parts from the other.
 * Impact: DDL and hard links, no job restart. Stop the sinks first (the compose file's `migrate`
 * runs before them). Safe to run twice (converts what is not replicated yet).
 * Rollback (`down`): the plain engines back on this replica, its data kept; ZooKeeper forgets it.
 */
import type { MigrationContext } from '../src/migrate/context.ts';
import { replicateTables, unreplicateTables } from '../src/migrate/replicated-tables.ts';

export async function up({ context }: { context: MigrationContext }): Promise<void> {
  await replicateTables(context.clickhouse, context.config);
}

export async function down({ context }: { context: MigrationContext }): Promise<void> {
  await unreplicateTables(context.clickhouse, context.config);
}
