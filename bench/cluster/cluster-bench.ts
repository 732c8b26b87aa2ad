/**
 * `npm run bench:cluster`: the same fixed-rate load into Tollbooth on one node
 * (docker-compose.yml) and as a cluster (deploy/cluster/compose.yml), one after the other, never
 * both at once, and the CPU each role spends per click, from the containers' cgroups. Each run
 * starts its own compose project, counts the load exactly (psql) and removes it. Results in
 * bench/results/cluster-<date>.{md,json}. See docs/capacity.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { composeRun, type ComposeRun } from '../support/compose.ts';
import { eventually } from '../support/prefix.ts';
import { cpuBetween, projectCpu } from './container-cpu.ts';
import { fixedLoad } from './fixed-load.ts';
import { clusterReport, runsFromJson, type TopologyRun } from './cluster-report.ts';

const TOPOLOGIES = { 'one node': 'docker-compose.yml', cluster: 'deploy/cluster/compose.yml' } as const;
const say = (m: string) => process.stderr.write(`[bench:cluster ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const lastLine = (out: string) => out.trim().split('\n').at(-1) ?? '';

/** Clicks counted final: in closed windows, and late (after their window closed), each once. */
async function counted(run: ComposeRun, key: string): Promise<{ total: number; late: number }> {
  const client = new pg.Client({ ...run.pg, user: 'analyst', password: key, database: 'tollbooth' });
  await client.connect();
  try {
    const sql = `SELECT (SELECT sum(clicks) FROM ad_clicks_minute) AS windows, (SELECT sum(late) FROM ad_late_minute) AS late`;
    const row = (await client.query<{ windows: string | null; late: string | null }>(sql)).rows[0];
    const late = Number(row?.late ?? 0);
    return { total: Number(row?.windows ?? 0) + late, late };
  } finally {
    await client.end();
  }
}

// Where each storage role keeps its data (the images' volumes).
const DATA_DIRS: Record<string, string> = {
  kafka: '/var/lib/kafka',
  clickhouse: '/var/lib/clickhouse/data',
  zookeeper: '/var/lib/zookeeper',
  redis: '/var/lib/redis',
};

/** Bytes in each storage node's data folder (du inside the container). */
async function dataBytes(run: ComposeRun, services: string[]): Promise<Map<string, number>> {
  const bytes = new Map<string, number>();
  for (const service of services) {
    const dir = DATA_DIRS[service.replace(/-\d+$/, '')];
    if (dir === undefined) continue;
    const out = await run.exec(service, 'du', '-sb', dir).catch(() => '');
    bytes.set(service, Number(out.trim().split(/\s/)[0] ?? NaN));
  }
  return bytes;
}

async function measure(name: keyof typeof TOPOLOGIES, rate: number, seconds: number): Promise<TopologyRun> {
  say(`${name}: up`);
  const run = await composeRun('bench', { TOLLBOOTH_WINDOW_SECONDS: '2', TOLLBOOTH_GRACE_MS: '500' }, TOPOLOGIES[name]);
  try {
    await run.compose('up', '-d');
    const all = lastLine(await run.cli('keys', 'create', '--scope', 'all', '--name', 'bench-reader'));
    const ingest = lastLine(await run.cli('keys', 'create', '--scope', 'ingest', '--name', 'bench'));
    const url = `${run.ingestUrl}/v1/clicks`;
    await eventually(async () => ((await fetch(`${run.ingestUrl}/readyz`)).ok ? true : undefined), 180_000, 'ingest');
    const warm = await fixedLoad({ url, ingestKey: ingest, rate, seconds: 10, runId: 'warm' });
    const warmed = await eventually(
      async () => {
        const n = await counted(run, all);
        return n.total === warm.accepted ? n : undefined;
      },
      180_000,
      'warm-up',
    );
    say(`${name}: idle 10 s, then ${rate} clicks/s for ${seconds} s`);
    const idle0 = await projectCpu(run.project);
    await sleep(10_000);
    const idle = cpuBetween(idle0, await projectCpu(run.project));
    const cpu0 = await projectCpu(run.project);
    const startedAt = Date.now();
    const load = await fixedLoad({ url, ingestKey: ingest, rate, seconds, runId: 'load' });
    const want = warm.accepted + load.accepted;
    const got = await eventually(
      async () => {
        const n = await counted(run, all);
        return n.total >= want || Date.now() - startedAt > (seconds + 120) * 1000 ? n : undefined;
      },
      (seconds + 180) * 1000,
      'final counts',
    );
    const elapsed = (Date.now() - startedAt) / 1000;
    const end = await projectCpu(run.project);
    const cpu = cpuBetween(cpu0, end);
    const memory = new Map(end.map((c) => [c.service, c.memoryBytes]));
    const disk = await dataBytes(
      run,
      end.map((c) => c.service),
    );
    const late = got.late - warmed.late;
    say(
      `${name}: ${load.accepted} accepted, ${got.total - warm.accepted} counted (${late} late), ${elapsed.toFixed(0)} s`,
    );
    const clicks = warm.accepted + load.accepted;
    return {
      name,
      rate,
      seconds,
      elapsed,
      accepted: load.accepted,
      counted: got.total - warm.accepted,
      late,
      clicks,
      cpu,
      idle,
      memory,
      disk,
    };
  } finally {
    await run.compose('down', '-v', '--remove-orphans');
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '60' },
      rounds: { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench/results' },
      'from-json': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run bench:cluster -- [--rate 1000] [--seconds 60] [--rounds 1] [--out bench/results]\n' +
        '       npm run bench:cluster -- --from-json bench/results/cluster-<date>.json   (the table of a saved run again)',
    );
    return;
  }
  if (values['from-json'] !== undefined) {
    const saved = JSON.parse(readFileSync(values['from-json'], 'utf8')) as Parameters<typeof runsFromJson>[0] & {
      cpuModel: string;
    };
    console.log(clusterReport(runsFromJson(saved), saved.cpuModel).md);
    return;
  }
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  if (![rate, seconds, rounds].every((n) => Number.isInteger(n) && n > 0))
    throw new Error('--rate, --seconds and --rounds take positive whole numbers');
  const runs: TopologyRun[] = [];
  for (let round = 0; round < rounds; round++)
    for (const name of Object.keys(TOPOLOGIES) as (keyof typeof TOPOLOGIES)[])
      runs.push(await measure(name, rate, seconds));
  const cpuModel = os.cpus()[0]?.model ?? 'unknown';
  const { md, json } = clusterReport(runs, cpuModel);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', 'T');
  mkdirSync(values.out, { recursive: true });
  writeFileSync(path.join(values.out, `cluster-${stamp}.md`), md);
  writeFileSync(path.join(values.out, `cluster-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  console.log(md);
}

main().catch((err: unknown) => {
  console.error(`bench:cluster: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
