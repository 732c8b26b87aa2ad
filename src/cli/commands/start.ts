/**
 * `tollbooth start` (`npm start`): the whole system on one machine. Services, migrations, the
 * Flink job, then ingest, sink, stats API, Postgres-wire endpoint and demo traffic as child
 * processes. Ctrl-C stops everything it started, and the services only if it started them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../shared/config.ts';
import { showKeyOnce } from '../show-key.ts';
import { servicesDown, servicesReady, servicesUp } from '../services/stack.ts';
import { runCommand } from '../services/run.ts';
import { addKey } from '../../api/auth/keys-file.ts';

const say = (m: string) => process.stderr.write(`▶ ${m}\n`);
const cli = (config: Config) => path.join(config.repoRoot, 'bin', 'tollbooth.js');

function startChild(config: Config, name: string, args: string[]): ChildProcess {
  const logDir = path.join(config.stackDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `tollbooth-${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [cli(config), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.on('exit', (code, signal) => say(`${name} exited (${signal ?? code})`));
  return child;
}

export async function run(args: string[], config: Config): Promise<number> {
  const rate = args[args.indexOf('--rate') + 1] ?? '20';
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

  const children = [
    startChild(config, 'ingest', ['ingest']),
    startChild(config, 'sink', ['sink']),
    startChild(config, 'api', ['api']),
    startChild(config, 'pg', ['pg']),
  ];
  // Give the ingest a moment to listen before traffic starts.
  await new Promise((r) => setTimeout(r, 3000));
  children.push(startChild(config, 'loadgen', ['loadgen', '--rate', args.includes('--rate') ? rate : '20']));
  const { key } = await addKey(config.api.keysFile, { kind: 'all' }, `demo-${Date.now()}`);
  const base = `http://${config.host}:${config.api.port}`;
  const shown = showKeyOnce(config.stackDir, key, process.stdout.isTTY === true);
  console.log(`\nTollbooth is running.
  API key:    ${shown.key}
  dashboard:  ${base}/${shown.fragment}
  stats API:  ${base}/docs
  ingest:     http://${config.host}:${config.ingest.port}/v1/clicks
  psql:       PGPASSWORD=<the API key> psql -h ${config.host} -p ${config.api.pgPort} -U analyst tollbooth
  logs:       ${path.join(config.stackDir, 'logs')}
Ctrl-C stops everything this command started.\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  say('stopping');
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  })));
  if (!alreadyUp) await servicesDown(config, [], (m) => say(m));
  return 0;
}
