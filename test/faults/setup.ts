/**
 * One fault run's own pipeline: topics, ClickHouse database, Redis keys and Flink job under a
 * test prefix (deployed by the real migrations), and its own ingest and sink processes watched
 * by its own supervisor. The stack's services are healed by the stack's supervisor, which this
 * starts only if none runs (and then stops it again).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addKey } from '../../src/api/auth/keys-file.ts';
import { environmentWith, loadConfig, type Config } from '../../src/shared/config.ts';
import { createClickHouse, sqlIdentifier } from '../../src/shared/clickhouse.ts';
import { logger } from '../../src/shared/logger.ts';
import { livePid } from '../../src/stack/process.ts';
import { stopProcesses } from '../../src/stack/stack.ts';
import { createMigrator } from '../../src/migrate/migrator.ts';
import { appProgram, type AppName } from '../../src/supervisor/programs.ts';
import { startSupervisor, stopSupervisor, supervisorPid } from '../../src/supervisor/control.ts';
import { FAST_WINDOWS } from '../helpers/use-pipelines.ts';
import { assertTestResource, eventually, testPrefix } from '../helpers/prefix.ts';
import { cleanUp, closedPort } from '../ingest/harness.ts';

const APPS: AppName[] = ['ingest', 'sink'];
const quiet = logger.child({ component: 'fault-run' }, { level: 'warn' });

export interface FaultRun {
  config: Config;
  stack: Config;
  ingestUrl: string;
  /** An ingest key of this run: the load sends as an ad server, so the body's user agents count. */
  ingestKey: string;
  close(): Promise<void>;
}

export async function startFaultRun(area: string): Promise<FaultRun> {
  const stack = loadConfig();
  let startedStackSupervisor = false;
  if (supervisorPid(stack) === undefined) {
    await startSupervisor(stack, { services: true, apps: [] });
    startedStackSupervisor = true;
  }
  const prefix = testPrefix(area);
  const env = {
    ...FAST_WINDOWS,
    TOLLBOOTH_TOPIC_PREFIX: prefix,
    TOLLBOOTH_REDIS_PREFIX: prefix,
    TOLLBOOTH_CLICKHOUSE_DATABASE: `${prefix}db`,
    TOLLBOOTH_INGEST_PORT: String(await closedPort()),
    TOLLBOOTH_SPOOL_DIR: await mkdtemp(path.join(tmpdir(), `${prefix}spool-`)),
    TOLLBOOTH_SINK_PORT: String(await closedPort()),
    TOLLBOOTH_API_KEYS_FILE: path.join(await mkdtemp(path.join(tmpdir(), `${prefix}keys-`)), 'api-keys.json'),
  };
  const config = loadConfig(environmentWith(env));
  const { key: ingestKey } = await addKey(config.api.keysFile, { kind: 'ingest' }, `${prefix}load`);
  const migrator = await createMigrator(config, quiet);
  await migrator.up();
  await migrator.close();
  for (const app of APPS) await appProgram(config, app, env).start();
  await startSupervisor(config, { services: false, apps: APPS }, env);
  const ingestUrl = `http://${config.host}:${config.ingest.port}`;
  await eventually(
    async () => ((await fetch(`${ingestUrl}/readyz`).catch(() => null))?.ok ? true : undefined),
    60_000,
    'the ingest',
  );

  const close = async () => {
    await stopSupervisor(config);
    await stopProcesses(
      config,
      APPS.map((a) => appProgram(config, a).name),
    );
    const m = await createMigrator(config, quiet);
    for (const job of await m.context.jobs.status()) {
      if (job.state === 'RUNNING' || job.state === 'RESTARTING')
        await m.context.jobs.rest.cancelJob(job.jobId).catch(() => {});
    }
    await m.close();
    // 3 minutes: dropping a database of a dozen tables and views takes ClickHouse 18.16 tens of
    // seconds on a busy 2-core machine, more than the client's default 30 s.
    const clickhouse = createClickHouse(config, { requestTimeoutMs: 180_000 });
    assertTestResource(config.clickhouse.database);
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${sqlIdentifier(config.clickhouse.database)}` });
    await clickhouse.close();
    await cleanUp(config);
    await rm(config.ingest.spoolDir, { recursive: true, force: true });
    await rm(path.dirname(config.api.keysFile), { recursive: true, force: true });
    if (startedStackSupervisor) await stopSupervisor(stack);
  };
  return { config, stack, ingestUrl, ingestKey, close };
}

/** The pid of a process of the stack or of this run's programs, alive now. */
export function pidOf(pidFile: string): number {
  const pid = livePid(pidFile);
  if (pid === undefined) throw new Error(`nothing alive behind ${pidFile}`);
  return pid;
}
