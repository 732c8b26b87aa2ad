/**
 * `tollbooth start` (`npm start`): the whole system on one machine. Services, migrations, the
 * Flink job, then ingest, sink, stats API and Postgres-wire endpoint under the supervisor
 * (which restarts whatever dies), and demo traffic. Ctrl-C stops everything it started, and
 * the services only if it started them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../shared/config.ts';
import { showKeyOnce } from '../show-key.ts';
import { livePid } from '../../stack/process.ts';
import { servicesDown, servicesReady, servicesUp } from '../../stack/stack.ts';
import { runCommand } from '../../stack/run.ts';
import { addKey } from '../../api/auth/keys-file.ts';
import { APPS, appProgram } from '../../supervisor/programs.ts';
import { startSupervisor, stopApps, stopSupervisor } from '../../supervisor/control.ts';
import { option, type Invocation } from '../args.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const say = (m: string) => process.stderr.write(`▶ ${m}\n`);
const cli = (config: Config) => path.join(config.repoRoot, 'bin', 'tollbooth.js');

/** Demo traffic: a plain child of this command, not supervised (it is not part of the product). */
function startLoadgen(config: Config, rate: string): ChildProcess {
  const logDir = path.join(config.stackDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, 'tollbooth-loadgen.log'), { flags: 'a' });
  const child = spawn(process.execPath, [cli(config), 'loadgen', '--rate', rate], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.on('exit', (code, signal) => say(`loadgen exited (${signal ?? code})`));
  return child;
}

export async function run(inv: Invocation, config: Config): Promise<number> {
  const rate = option(inv, 'rate') ?? '20';
  const alreadyUp = await servicesReady(config);
  say(alreadyUp ? 'services already running' : 'starting services (the first run downloads them: a few minutes)');
  const reports = await servicesUp(config, [], (m) => say(m));
  const down = reports.filter((r) => !r.ok);
  if (down.length > 0) {
    for (const r of down) console.error(`${r.name}: ${r.detail}`);
    return 1;
  }
  say('migrating (ClickHouse tables, Flink job)');
  await runCommand(process.execPath, [cli(config), 'migrate', 'up']);
  await runCommand(process.execPath, [cli(config), 'jobs', 'ensure']);

  for (const app of APPS) {
    const program = appProgram(config, app);
    if (livePid(program.pidFile) === undefined) await program.start();
  }
  const supervisor = await startSupervisor(config, { services: config.kafka.topicPrefix === '', apps: [...APPS] });
  say(`supervisor running (pid ${supervisor}): it restarts any process that dies`);
  // Give the ingest a moment to listen before traffic starts.
  await sleep(3000);
  const loadgen = startLoadgen(config, rate);
  const { key } = await addKey(config.api.keysFile, { kind: 'all' }, `demo-${Date.now()}`);
  const base = `http://${config.host}:${config.api.port}`;
  const shown = showKeyOnce(config.stackDir, key, process.stdout.isTTY === true);
  console.log(`\nTollbooth is running.
  API key:    ${shown.key}
  dashboard:  ${base}/${shown.fragment}
  stats API:  ${base}/docs
  ingest:     http://${config.host}:${config.ingest.port}/v1/clicks
  psql:       PGPASSWORD=<the API key> psql -h ${config.host} -p ${config.api.pgPort} -U analyst tollbooth
  health:     node bin/tollbooth.js status
  logs:       ${path.join(config.stackDir, 'logs')}
Ctrl-C stops everything this command started.\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  say('stopping');
  if (loadgen.exitCode === null && loadgen.signalCode === null) {
    const exited = new Promise((r) => loadgen.once('exit', r));
    loadgen.kill('SIGTERM');
    await exited;
  }
  // The supervisor first, or it would restart what we stop.
  await stopSupervisor(config);
  await stopApps(config, say);
  if (!alreadyUp) await servicesDown(config, [], (m) => say(m));
  // Services that were running before keep their supervisor.
  else if (config.kafka.topicPrefix === '') await startSupervisor(config, { services: true, apps: [] });
  return 0;
}
