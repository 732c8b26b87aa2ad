/**
 * One umzug runner for every migration file: ClickHouse SQL, Flink jobs and TypeScript. The
 * migration log and the job registry live in ClickHouse, in the configured database. `up`
 * refuses to run while an applied migration's file has changed since it was applied.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Umzug, type RunnableMigration } from 'umzug';
import type { Config } from '../shared/config.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import type { Logger } from '../shared/logger.ts';
import { JobDeployer, type ChangePolicy } from '../flink/deploy.ts';
import { JobRegistry } from '../flink/job-registry.ts';
import { baselineLegacyLog, type BaselineOutcome } from './baseline.ts';
import { ClickhouseMigrationStorage } from './clickhouse-storage.ts';
import { ensureDatabase, runClickhouseStatements } from './clickhouse-sql.ts';
import type { MigrationContext } from './context.ts';
import { latestJobMigration, readFlinkMigration, takeoverPolicy } from './flink-migration.ts';
import { listMigrations, sqlSections, type MigrationFile } from './migration-files.ts';
import { migrationStates, type MigrationState } from './status.ts';

export type { MigrationContext } from './context.ts';

export interface Migrator {
  umzug: Umzug<MigrationContext>;
  context: MigrationContext;
  files: MigrationFile[];
  /** Every migration with its state (applied, pending, changed, missing): a pure read, it creates nothing. */
  status(): Promise<MigrationState[]>;
  /** Applies what is pending, after the checksum check and a legacy baseline if needed. */
  up(opts?: { to?: string }): Promise<{ applied: string[]; baseline: BaselineOutcome }>;
  /** Reverts the latest migration, or down to `to` (0: all), after the same checksum check as `up`. */
  down(opts?: { to?: string | 0 }): Promise<{ reverted: string[] }>;
  close(): Promise<void>;
}

export class ChangedMigrationError extends Error {}

type Step = (params: { context: MigrationContext }) => Promise<void>;

async function typescriptSteps(m: MigrationFile): Promise<{ up: Step; down: Step }> {
  const mod = (await import(pathToFileURL(m.file).href)) as { up?: Step; down?: Step };
  if (typeof mod.up !== 'function') throw new Error(`migrations/${m.name}.ts exports no up()`);
  return { up: mod.up, down: mod.down ?? (async () => {}) };
}

function sqlSteps(m: MigrationFile): { up: Step; down: Step } {
  const sections = sqlSections(readFileSync(m.file, 'utf8'), `migrations/${m.name}.sql`);
  return {
    up: ({ context }) => runClickhouseStatements(context.clickhouse, context.config, sections.up),
    down: ({ context }) => runClickhouseStatements(context.clickhouse, context.config, sections.down),
  };
}

/**
 * This `up`'s Flink migrations: those a later pending version of the same job supersedes, and
 * how each version that does run takes over (takeoverPolicy over the versions it supersedes).
 */
interface RunPlan {
  superseded: Set<string>;
  takeover: Map<string, ChangePolicy>;
}

/**
 * Which replica this migrator works on, on a cluster (src/migrate/replica-runs.ts): its address,
 * and the Flink migrations it only records, because another replica's run deployed them (a job
 * runs once per cluster, not once per replica).
 */
export interface MigratorTarget {
  address?: string;
  recordOnly?: (name: string) => boolean;
}

function flinkSteps(
  m: MigrationFile,
  all: MigrationFile[],
  run: RunPlan,
  target: MigratorTarget,
): { up: Step; down: Step } {
  const job = readFlinkMigration(m);
  const recordOnly = () => target.recordOnly?.(m.name) === true;
  return {
    up: async ({ context }) => {
      // A fresh database replays every version of a job: only the last one needs to run, and it
      // takes over as the last graph change among them says (takeoverPolicy).
      if (run.superseded.has(m.name) || recordOnly()) return;
      await context.jobs.deploy(job.job, job.template, run.takeover.get(m.name) ?? job.policy);
    },
    down: async ({ context }) => {
      if (recordOnly()) return;
      const previous = latestJobMigration(all, job.job, m.name);
      if (previous === undefined) await context.jobs.stop(job.job);
      else await context.jobs.deploy(previous.job, previous.template, job.policy);
    },
  };
}

async function resolve(
  files: MigrationFile[],
  run: RunPlan,
  target: MigratorTarget,
): Promise<Array<RunnableMigration<MigrationContext>>> {
  return Promise.all(
    files.map(async (m) => ({
      name: m.name,
      ...(m.kind === 'typescript'
        ? await typescriptSteps(m)
        : m.kind === 'flink'
          ? flinkSteps(m, files, run, target)
          : sqlSteps(m)),
    })),
  );
}

/** Plans the pending Flink migrations of one `up` (up to `to`) into `run`. */
function planRun(run: RunPlan, files: MigrationFile[], pending: string[], to: string | undefined): void {
  run.superseded.clear();
  run.takeover.clear();
  const inRun = files
    .filter((f) => f.kind === 'flink' && pending.includes(f.name) && (to === undefined || f.name <= to))
    .map((f) => ({ name: f.name, ...readFlinkMigration(f) }));
  inRun.forEach((f, i) => {
    if (inRun.slice(i + 1).some((later) => later.job === f.job)) run.superseded.add(f.name);
    else run.takeover.set(f.name, takeoverPolicy(inRun.slice(0, i + 1).filter((v) => v.job === f.job)) ?? f.policy);
  });
}

/** Whether any applied migration's file changed since it was applied: then nothing runs, up or down. */
async function refuseChanged(status: () => Promise<MigrationState[]>, verb: string): Promise<void> {
  const changed = (await status()).filter((s) => s.state === 'changed');
  if (changed.length > 0) {
    throw new ChangedMigrationError(
      `refusing to ${verb}: ${changed.map((s) => `migrations/${s.file}`).join(', ')} changed after it was applied; restore the file and put the change in a new migration (tollbooth migrate new)`,
    );
  }
}

export async function createMigrator(config: Config, log: Logger, target: MigratorTarget = {}): Promise<Migrator> {
  const files = listMigrations(config.migrationsDir);
  // The log and the registry are named with their database, so this client (no current database)
  // can read them before the database exists: `status` must not create it.
  const pin = target.address === undefined ? {} : { address: target.address };
  const catalog: ClickHouseClient = createClickHouse(config, pin);
  const clickhouse: ClickHouseClient = createClickHouse(config, { ...pin, database: config.clickhouse.database });
  const storage = new ClickhouseMigrationStorage(
    catalog,
    config.clickhouse.database,
    new Map(files.map((f) => [f.name, f.checksum])),
  );
  const registry = new JobRegistry(catalog, config.clickhouse.database);
  // The database, the log and the registry are made by the first `up` or `down`, never by a read.
  const prepare = async () => {
    await ensureDatabase(catalog, config);
    await storage.ensureTable();
    await registry.ensureTable();
  };
  const context: MigrationContext = { config, clickhouse, jobs: new JobDeployer(config, registry, log) };
  const run: RunPlan = { superseded: new Set(), takeover: new Map() };
  const umzug = new Umzug<MigrationContext>({
    migrations: await resolve(files, run, target),
    context,
    storage,
    logger: {
      info: (m) => log.info(m, 'migration'),
      warn: (m) => log.warn(m, 'migration'),
      error: (m) => log.error(m, 'migration'),
      debug: () => {},
    },
  });
  const status = async () => migrationStates(files, await storage.applied());
  return {
    umzug,
    context,
    files,
    status,
    async up(opts = {}) {
      await prepare();
      const baseline = await baselineLegacyLog(storage, files);
      await refuseChanged(status, 'migrate');
      planRun(
        run,
        files,
        (await umzug.pending()).map((m) => m.name),
        opts.to,
      );
      const done = await umzug.up(opts.to === undefined ? {} : { to: opts.to });
      return { applied: done.map((m) => m.name), baseline };
    },
    async down(opts = {}) {
      await prepare();
      await refuseChanged(status, 'revert');
      const done = await umzug.down(opts.to === undefined ? {} : { to: opts.to });
      return { reverted: done.map((m) => m.name) };
    },
    close: async () => {
      await Promise.all([clickhouse.close(), catalog.close()]);
    },
  };
}
