/**
 * Starting and stopping the supervisor from the CLI: it runs detached (it outlives the command
 * that started it), one per stack folder and topic prefix, found by its pid file.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import { livePid, startDaemon, stopPid } from '../stack/process.ts';
import { waitUntil } from '../stack/run.ts';
import { pidFile, stackContext } from '../stack/service.ts';
import { readState, supervisorFiles } from './state.ts';
import { APPS, appProcessName, type AppName } from './programs.ts';

export function supervisorPid(config: Config): number | undefined {
  return livePid(supervisorFiles(config).pid);
}

/**
 * Starts the supervisor for what is wanted plus whatever a running one already watches: that one
 * is replaced, and its processes (which keep running) are adopted by the new one.
 */
export async function startSupervisor(
  config: Config,
  wanted: { services: boolean; apps: AppName[] },
  env: Record<string, string> = {},
): Promise<number> {
  const files = supervisorFiles(config);
  const running = livePid(files.pid) === undefined ? undefined : readState(files.state);
  const watched = new Set(running?.programs.map((p) => p.name) ?? []);
  const opts = {
    services: wanted.services || watched.has('kafka'),
    apps: APPS.filter((a) => wanted.apps.includes(a) || watched.has(appProcessName(config, a))),
  };
  const args = [
    path.join(config.repoRoot, 'bin', 'tollbooth.js'),
    'supervise',
    ...(opts.services ? ['--services'] : []),
    ...(opts.apps.length > 0 ? ['--apps', opts.apps.join(',')] : []),
  ];
  if (livePid(files.pid) !== undefined) await stopSupervisor(config);
  // startDaemon writes the pid file; the supervisor checks it names itself.
  const pid = startDaemon({
    command: process.execPath,
    args,
    cwd: config.repoRoot,
    env,
    logFile: files.log,
    pidFile: files.pid,
  });
  // Two seconds is plenty for the first state file; a supervisor that is not up by then failed.
  const up = await waitUntil(async () => livePid(files.pid) === pid, 2000, 100);
  if (!up) throw new Error(`the supervisor did not start: see ${files.log}`);
  return pid;
}

/** Stops the supervisor (and only it: the processes it watched keep running). */
export async function stopSupervisor(config: Config): Promise<boolean> {
  // 5 s: it finishes its current check and exits; a supervisor never holds work worth waiting for.
  const files = supervisorFiles(config);
  const stopped = (await stopPid(files.pid, 5000)) === 'stopped';
  rmSync(files.state, { force: true });
  return stopped;
}

/** Stops the project's programs of this prefix (ingest, sink, API, pg) by their pid files. */
export async function stopApps(config: Config, progress: (m: string) => void = () => {}): Promise<void> {
  for (const app of [...APPS].reverse()) {
    // 15 s: the ingest drains its in-flight batches and the sink its last insert on SIGTERM.
    const name = appProcessName(config, app);
    if ((await stopPid(pidFile(stackContext(config), name), 15_000)) === 'stopped') progress(`${name}: stopped`);
  }
}

/**
 * For a whole-stack `services down`: every supervisor and program of every prefix in this stack
 * folder (a test run that was killed may have left its own behind), supervisors first.
 */
export async function stopEverySupervisorAndApp(
  config: Config,
  progress: (m: string) => void = () => {},
): Promise<void> {
  const runDir = path.join(config.stackDir, 'run');
  if (!existsSync(runDir)) return;
  const files = readdirSync(runDir);
  const supervisors = files.filter((f) => f.endsWith('supervisor.pid'));
  const apps = files.filter((f) => APPS.some((a) => f.endsWith(`tollbooth-${a}.pid`)));
  for (const f of supervisors) {
    if ((await stopPid(path.join(runDir, f), 5000)) === 'stopped') progress(`${f.replace(/\.pid$/, '')}: stopped`);
    rmSync(path.join(runDir, f.replace(/\.pid$/, '.json')), { force: true });
  }
  // 15 s: the ingest drains its in-flight batches and the sink its last insert on SIGTERM.
  for (const f of apps)
    if ((await stopPid(path.join(runDir, f), 15_000)) === 'stopped') progress(`${f.replace(/\.pid$/, '')}: stopped`);
}
