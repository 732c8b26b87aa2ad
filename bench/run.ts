/**
 * `npm run bench`: Tollbooth and the baselines a user might build instead, under the same load in
 * one run on this machine. Needs the services up (`tollbooth services up`); starts and stops
 * everything else it uses. Progress on stderr; results in bench/results/<date>.{json,md}; with
 * --json the last line of stdout is one JSON object. See docs/bench.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/shared/config.ts';
import { servicesReady } from '../src/stack/stack.ts';
import { runBaseline } from './baselines/phase.ts';
import { compareBench } from './compare/compare-main.ts';
import { startPostgres, type PostgresServer } from './baselines/postgres-server.ts';
import { stackServices } from './measure/cpu-use.ts';
import { parseOptions, type SystemName } from './options.ts';
import { handleInterrupts, onInterrupt } from './interrupt.ts';
import { markdown, summaryLine } from './report.ts';
import type { RunResult, SystemResult } from './result.ts';
import { runTollbooth, type PhaseContext } from './tollbooth/phase.ts';

// A real browser's string: isbot lets it through, so the load's clicks are judged on their merits.
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

const say = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function runSystem(
  ctx: PhaseContext,
  system: SystemName,
  pgServer: () => Promise<PostgresServer>,
): Promise<SystemResult> {
  if (system === 'tollbooth') return runTollbooth(ctx);
  if (system === 'clickhouse-raw') {
    const clickhouse = stackServices(loadConfig().stackDir).find((s) => s.name === 'clickhouse');
    if (clickhouse === undefined) throw new Error('no clickhouse pid file in the stack folder');
    return runBaseline(ctx, {
      spec: { kind: 'clickhouse-raw', database: `test_bench_${ctx.runId}_raw` },
      process: clickhouse,
    });
  }
  const server = await pgServer();
  const database = `bench_${ctx.runId}_${system.replace('-', '_')}`;
  await server.createDatabase(database);
  try {
    return await runBaseline(ctx, {
      spec: {
        kind: system,
        pg: { host: server.host, port: server.port, database, user: server.user },
        connections: ctx.opts.concurrency,
      },
      process: { name: "postgres (bench's own)", pid: server.pid, system: true, shared: false },
    });
  } finally {
    await server.dropDatabase(database);
  }
}

const runDate = () => new Date().toISOString().slice(0, 16).replace(':', '');

/** The CPU model goes with every figure: µs per click mean nothing without it. */
function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  handleInterrupts(say);
  const config = loadConfig();
  if (!(await servicesReady(config)))
    throw new Error('the services are not running: start them with `npx tollbooth services up`');
  const runId = randomBytes(3).toString('hex');
  const workDir = path.join(config.repoRoot, 'bench', '.work');
  if (opts.profileDir !== undefined) mkdirSync(opts.profileDir, { recursive: true });
  const ctx: PhaseContext = { opts, runId, workDir, root: config.repoRoot, userAgent: BROWSER, say };
  if (opts.compare !== undefined) {
    const { markdown: md, summary } = await compareBench(ctx, opts.compare, machineLine(), runDate());
    process.stdout.write(`${md}\n`);
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  let postgres: PostgresServer | undefined;
  const pgServer = async (): Promise<PostgresServer> => {
    if (postgres === undefined) {
      const server = await startPostgres(workDir, say);
      onInterrupt(() => server.stop());
      postgres = server;
    }
    return postgres;
  };
  const systems: SystemResult[] = [];
  try {
    for (const system of opts.systems) {
      say(
        `${system}: ${opts.seconds} s of load, ${opts.rate === 0 ? 'as fast as it takes it' : `${opts.rate} clicks/s`}, ${opts.concurrency} batches in flight`,
      );
      const r = await runSystem(ctx, system, pgServer);
      say(
        `${system}: ${Math.round(r.cps)} clicks/s, exact: ${r.exact}, ${r.cpuUsPerClick.toFixed(1)} µs CPU per click`,
      );
      systems.push(r);
    }
  } finally {
    if (postgres !== undefined) await postgres.stop();
  }
  const date = runDate();
  const run: RunResult = {
    date,
    machine: machineLine(),
    options: { ...opts },
    systems,
  };
  mkdirSync(opts.outDir, { recursive: true });
  writeFileSync(path.join(opts.outDir, `${date}.json`), `${JSON.stringify(run, null, 2)}\n`);
  const md = markdown(run);
  writeFileSync(path.join(opts.outDir, `${date}.md`), md);
  process.stdout.write(`${md}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify(summaryLine(run))}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
