/**
 * Which migration file a deployed job runs. The registry records the version (hash) that was
 * deployed; the newest file of a job on disk may be a version that was never applied, so
 * anything that re-runs a job (replay) renders the file whose version is the deployed one.
 */
import type { Config } from '../shared/config.ts';
import type { JobRegistry } from '../flink/job-registry.ts';
import { renderJob } from '../flink/job-sql.ts';
import { readFlinkMigration, type FlinkMigration } from './flink-migration.ts';
import { listMigrations, type MigrationFile } from './migration-files.ts';

export class JobNotDeployedError extends Error {}

/** The migration of `job` whose rendered version is `hash`, or undefined when no file renders it. */
export function migrationOfVersion(
  config: Config,
  files: readonly MigrationFile[],
  job: string,
  hash: string,
): FlinkMigration | undefined {
  return files
    .filter((f) => f.kind === 'flink')
    .map(readFlinkMigration)
    .find((m) => m.job === job && renderJob(config, m.job, m.template).hash === hash);
}

/** The migration the registry says `job` runs now; a job never deployed, or stopped, is an error. */
export async function deployedJobMigration(
  config: Config,
  registry: JobRegistry,
  job: string,
): Promise<FlinkMigration> {
  const record = await registry.latest(job);
  if (record === undefined) throw new JobNotDeployedError(`job ${job} was never deployed: run tollbooth migrate up`);
  if (record.event === 'stopped')
    throw new JobNotDeployedError(`job ${job} is stopped (migrated down): only a deployed job can be replayed`);
  const migration = migrationOfVersion(config, listMigrations(config.migrationsDir), job, record.hash);
  if (migration === undefined)
    throw new JobNotDeployedError(
      `job ${job} runs version ${record.hash}, which no file in migrations/ renders: restore the file that deployed it`,
    );
  return migration;
}
