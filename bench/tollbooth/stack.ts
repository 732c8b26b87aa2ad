/**
 * Tollbooth under a bench prefix: its own topics, Redis keys, ClickHouse database and Flink job
 * (deployed by the real migrations), and its ingest, sink and stats API as separate processes
 * started through the CLI, so each one's CPU can be read from /proc. stop() ends exactly those
 * processes and removes exactly what carries the prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addKey } from '../../src/api/auth/keys-file.ts';
import { createClickHouse, sqlIdentifier } from '../../src/shared/clickhouse.ts';
import { environmentWith, loadConfig, type Config } from '../../src/shared/config.ts';
import { logger } from '../../src/shared/logger.ts';
import { createMigrator } from '../../src/migrate/migrator.ts';
import { cleanUp } from '../support/clean-prefix.ts';
import { processPorts } from './ports.ts';
import { assertTestResource, testPrefix } from '../support/prefix.ts';
import { onInterrupt } from '../interrupt.ts';
import type { Watched } from '../measure/proc-stats.ts';

/** The Node processes of the system, each a `tollbooth` command. */
export const TOLLBOOTH_PROCESSES = ['ingest', 'sink', 'api'] as const;

export interface TollboothStack {
  config: Config;
  ingestUrl: string;
  apiUrl: string;
  apiKey: string;
  /** The load's ingest key: it sends as an ad server does (anonymous callers are limited per address). */
  ingestKey: string;
  processes: Watched[];
  /** The processes that have exited before stop(), with how: a run with any is void. */
  exited(): string[];
  stop(): Promise<void>;
}

const quiet = logger.child({ component: 'bench' }, { level: 'warn' });

function startProcess(
  root: string,
  env: NodeJS.ProcessEnv,
  name: string,
  logDir: string,
  nodeFlags: string[],
): ChildProcess {
  const log = createWriteStream(path.join(logDir, `${name}.log`));
  const child = spawn(process.execPath, [...nodeFlags, path.join(root, 'bin', 'tollbooth.js'), name], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** Waits for `url` to answer 200; fails at once, with the reason, if a process has exited. */
async function ready(url: string, what: string, exited: () => string[], logDir: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const gone = exited();
    if (gone.length > 0) throw new Error(`the bench's ${gone.join(', ')} at start: see ${logDir}`);
    if ((await fetch(url).catch(() => undefined))?.ok) return;
    if (Date.now() > deadline) throw new Error(`timed out after 60 s waiting for ${what} (${url}): see ${logDir}`);
    await sleep(200);
  }
}

function exitOf(name: string, child: ChildProcess): string | undefined {
  if (child.exitCode !== null) return `${name} exited with code ${child.exitCode}`;
  if (child.signalCode !== null) return `${name} was killed by ${child.signalCode}`;
  return undefined;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  // A graceful stop flushes the producer and the sink's batch; 20 s is far more than they take.
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/**
 * `tollbooth migrate up` of the checkout at `root`: its own migrations and Flink job SQL. `track`
 * gets the child: an interrupt waits for it before dropping the database, since ClickHouse 18.16
 * crashes on a DROP DATABASE while a CREATE TABLE runs in it (docs/stack.md), and killing the
 * client would not stop a CREATE the server has begun.
 */
async function migrateUp(
  root: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  track: (child: ChildProcess) => void,
): Promise<void> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'tollbooth.js'), 'migrate', 'up'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: Ctrl-C in the terminal reaches the bench, which waits for it.
    detached: true,
  });
  track(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  await writeFile(logFile, output);
  if (code !== 0) throw new Error(`migrate up failed (exit ${code}): ${output.trim().split('\n').at(-1) ?? ''}`);
}

/** Removes the Flink job, database, topics, Redis keys and spool of a bench prefix. */
export async function removeResources(config: Config): Promise<void> {
  const migrator = await createMigrator(config, quiet);
  try {
    for (const job of await migrator.context.jobs.status()) {
      if (job.state === 'RUNNING') await migrator.context.jobs.rest.cancelJob(job.jobId);
    }
  } finally {
    await migrator.close();
  }
  const db = config.clickhouse.database;
  assertTestResource(db);
  const clickhouse = createClickHouse(config);
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${sqlIdentifier(db)}` });
  await clickhouse.close();
  await cleanUp(config);
}

export interface StackOptions {
  workDir: string;
  /** The checkout whose code and migrations run: this one, or `--compare`'s (bench/compare/). */
  root: string;
  /** Extra node flags per process, e.g. --cpu-prof for a profile. */
  nodeFlags: (name: string) => string[];
}

export async function startTollbooth(opts: StackOptions, say: (m: string) => void): Promise<TollboothStack> {
  const prefix = testPrefix('bench');
  const runDir = path.join(opts.workDir, prefix.replace(/_$/, ''));
  // The processes' logs outlive the run (the rest of runDir does not), for a look after a bad run.
  const logDir = path.join(opts.workDir, 'logs', prefix.replace(/_$/, ''));
  mkdirSync(runDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const env = environmentWith({
    // Absolute: another checkout (`--compare`) uses this one's services, secrets and keys.
    TOLLBOOTH_STACK_DIR: loadConfig().stackDir,
    TOLLBOOTH_TOPIC_PREFIX: prefix,
    TOLLBOOTH_REDIS_PREFIX: prefix,
    TOLLBOOTH_CLICKHOUSE_DATABASE: `${prefix}db`,
    TOLLBOOTH_SPOOL_DIR: path.join(runDir, 'spool'),
    TOLLBOOTH_API_KEYS_FILE: path.join(runDir, 'api-keys.json'),
    ...(await processPorts()),
    // The probes poll several ads every 200 ms and the check reads 200 ads in a row: the bench's
    // own measuring must not be throttled like a user's key (the API's per-key and per-address limits).
    TOLLBOOTH_API_RATE_PER_KEY: '1000',
    TOLLBOOTH_API_BURST_PER_KEY: '2000',
    TOLLBOOTH_API_RATE_PER_ADDRESS: '1000',
    TOLLBOOTH_API_BURST_PER_ADDRESS: '2000',
  });
  const config = loadConfig(env);
  say(`tollbooth: migrating under prefix ${prefix} (tables, Flink job) from ${opts.root}`);
  const children: ChildProcess[] = [];
  let migrating: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  // Once only: an interrupt and the phase's own `finally` may both ask.
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      unregister();
      if (migrating !== undefined && migrating.exitCode === null && migrating.signalCode === null)
        await once(migrating, 'exit');
      for (const c of children) await stopChild(c);
      await removeResources(config);
      await rm(runDir, { recursive: true, force: true });
    })());
  const unregister = onInterrupt(stop);
  try {
    await migrateUp(opts.root, env, path.join(logDir, 'migrate.log'), (c) => (migrating = c));
    const { key } = await addKey(config.api.keysFile, { kind: 'all' }, 'bench');
    const { key: ingestKey } = await addKey(config.api.keysFile, { kind: 'ingest' }, 'bench-ingest');
    for (const name of TOLLBOOTH_PROCESSES)
      children.push(startProcess(opts.root, env, name, logDir, opts.nodeFlags(name)));
    const exited = () => children.flatMap((c, i) => exitOf(TOLLBOOTH_PROCESSES[i] ?? 'process', c) ?? []);
    const ingestUrl = `http://${config.host}:${config.ingest.port}`;
    const apiUrl = `http://${config.host}:${config.api.port}`;
    await ready(`${ingestUrl}/readyz`, 'the ingest to be ready', exited, logDir);
    await ready(`${apiUrl}/readyz`, 'the stats API to be ready', exited, logDir);
    await ready(`http://${config.host}:${config.sink.port}/healthz`, 'the sink to be ready', exited, logDir);
    const processes = children.map((c, i) => ({
      name: `tollbooth ${TOLLBOOTH_PROCESSES[i]}`,
      pid: c.pid ?? 0,
      system: true,
      shared: false,
    }));
    say(`tollbooth: logs in ${logDir}`);
    return { config, ingestUrl, apiUrl, apiKey: key, ingestKey, processes, exited, stop };
  } catch (err) {
    await stop().catch((e: unknown) => say(`cleanup failed: ${String(e)}`));
    throw err;
  }
}
