/**
 * `npm run bench:redis-cluster-wait`: what WAIT costs the verdict store on Redis Cluster. Starts
 * its own 6-node cluster and one plain redis-server on free loopback ports (bench/support/),
 * decides batches of 1 and of 1000 fresh keyed clicks (1000 distinct users: every slot group
 * of a real server batch) and prints p50/p99 of decide() per batch, for one node
 * (verdicts.lua), the cluster without WAIT and the cluster with WAIT 1. Writes
 * bench/results/redis-cluster-wait-<date>.md.
 *   npm run bench:redis-cluster-wait -- [--runs 300] [--big-runs 60]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { anonLimiter } from '../src/dedup/address.ts';
import { ClusterVerdictStore } from '../src/dedup/cluster-store.ts';
import { decideVerdicts } from '../src/dedup/decide.ts';
import { RedisVerdictStore } from '../src/dedup/redis-store.ts';
import { scopedSinceKey } from '../src/dedup/keys.ts';
import type { VerdictStore } from '../src/dedup/store.ts';
import type { Click } from '../src/shared/click.ts';
import { startRedisCluster, startStandaloneRedis } from './support/redis-cluster.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '300' },
    'big-runs': { type: 'string', default: '60' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const say = (m: string) => process.stderr.write(`${m}\n`);
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const arrival = {
  windowMs: 60_000,
  receivedAt: null,
  addressLimit: anonLimiter({ perAddressAd: 5, perAddress: 30, natRanges: [] }),
};
let n = 0;

function clicks(size: number): Click[] {
  const ts = Date.now();
  return Array.from({ length: size }, (_, i) => ({
    click_id: `b${n++}`,
    ad_id: `ad${n % 50}`,
    user_id: `user-${n}-${i}`,
    ts,
    client_ts: ts,
    ip: '10.2.0.1',
    user_agent: BROWSER,
    campaign_id: null,
    sender: 'bench',
  }));
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Times of the decides that succeeded, and how many threw (the ingest's 503s: WAIT timed out). */
async function measure(store: VerdictStore, size: number, runs: number) {
  const times: number[] = [];
  let failed = 0;
  for (let i = -Math.min(20, runs); i < runs; i++) {
    const batch = clicks(size);
    const start = process.hrtime.bigint();
    try {
      await decideVerdicts(store, batch, arrival);
    } catch (err) {
      if (i >= 0) failed++;
      say(`  ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (i >= 0) times.push(Number(process.hrtime.bigint() - start) / 1e6); // i < 0: warm-up
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), failed };
}

const cluster = await startRedisCluster();
const one = await startStandaloneRedis();
const client = new Cluster(
  cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
  { redisOptions: { password: cluster.password } },
);
const single = new Redis({ host: '127.0.0.1', port: one.port, password: one.password });
const limits = { horizonSeconds: 3600, windowMs: 60_000, ratePerWindow: 5 };
// Steady state: sender namespaces older than the horizon, so no unscoped (legacy) reads.
for (const p of ['bench:one:', 'bench:nowait:', 'bench:wait:']) {
  await single.set(scopedSinceKey(p), '1');
  await client.set(scopedSinceKey(p), '1');
}
const stores: [string, VerdictStore][] = [
  ['one node (verdicts.lua)', new RedisVerdictStore(single, { ...limits, keyPrefix: 'bench:one:' })],
  [
    'cluster, no WAIT',
    new ClusterVerdictStore(client, { ...limits, keyPrefix: 'bench:nowait:', waitReplicas: 0, waitTimeoutMs: 500 }),
  ],
  [
    'cluster, WAIT 1 500',
    new ClusterVerdictStore(client, { ...limits, keyPrefix: 'bench:wait:', waitReplicas: 1, waitTimeoutMs: 500 }),
  ],
];
const rows: string[] = [];
try {
  for (const [size, runs] of [
    [1, Number(values.runs)],
    [1000, Number(values['big-runs'])],
  ] as const) {
    for (const [name, store] of stores) {
      const { p50, p99, failed } = await measure(store, size, runs);
      const row = `| ${size} | ${name} | ${runs} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${failed} |`;
      say(row);
      rows.push(row);
    }
  }
} finally {
  client.disconnect();
  single.disconnect();
  await cluster.stop();
  await one.stop();
}
const report = [
  `# Verdict store: the cost of WAIT on Redis Cluster (${new Date().toISOString()})`,
  '',
  `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  'at the end; 6 redis-server 7.0 processes (3 masters, 3 replicas) and one plain redis-server on',
  'loopback, all on this machine. Fresh keyed clicks, distinct users; ms per decide().',
  '',
  '| batch | store | runs | p50 ms | p99 ms | threw (503) |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
mkdirSync(values.out, { recursive: true });
const file = path.join(values.out, `redis-cluster-wait-${new Date().toISOString().slice(0, 16).replace(/:/g, '')}.md`);
writeFileSync(file, report);
process.stdout.write(`${report}\nwritten to ${file}\n`);
