/**
 * CPU per click of the ingest process and of Redis, for one or more checkouts side by side:
 *   node --import tsx bench/ingest-cpu.ts --root <checkout A> --root <checkout B> [--rounds 2]
 *     [--batches 200] [--concurrency 4] [--port 18480]
 * Each round runs every root in turn (A B A B ...), because on a shared machine absolute
 * figures wander and only an alternating comparison is fair. A run starts `tollbooth ingest`
 * of that checkout with its own topic and Redis prefix, warms it up, reads the ingest's
 * utime+stime from /proc and Redis's `INFO cpu` / `INFO commandstats`, drives
 * bench/ingest-bench.ts (1000-click batches, every click accepted) from a separate process,
 * reads them again, then stops the ingest and deletes its topics and keys.
 * TOLLBOOTH_STACK_DIR names the running stack (its secrets and ports).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { addKey } from '../src/api/auth/keys-file.ts';
import { createKafka, createRedis } from '../src/shared/clients.ts';
import { environmentWith, loadConfig } from '../src/shared/config.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCommandStats } from './measure/redis-commands.ts';
import { deleteKeysWithPrefix } from './support/clean-prefix.ts';

const { values } = parseArgs({
  options: {
    root: { type: 'string', multiple: true, default: ['.'] },
    rounds: { type: 'string', default: '2' },
    batches: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '4' },
    port: { type: 'string', default: '18480' },
  },
});
const roots = values.root.map((r) => path.resolve(r));
const port = Number(values.port);
const url = `http://127.0.0.1:${port}`;
const BATCH_SIZE = 1000;
// /proc/<pid>/stat counts in clock ticks; Linux reports 100 per second on every common build.
const TICKS_PER_SECOND = 100;
const config = loadConfig();
const redis = createRedis(config);
const kafka = createKafka(config, 'tollbooth-ingest-cpu');

/** utime + stime of a process, in µs. */
function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at index 2 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

/**
 * Redis's own CPU (all threads) and the time its EVALSHA calls took, both in µs, and the
 * commands it ran other than EVALSHA (Redis 7 counts a script's calls in INFO commandstats).
 */
async function redisCpu(): Promise<{ cpu: number; evalsha: number; calls: number }> {
  const info = await redis.info('cpu');
  const num = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  const stats = await redis.info('commandstats');
  const evalsha = Number(/^cmdstat_evalsha:calls=\d+,usec=(\d+)/m.exec(stats)?.[1] ?? 0);
  let calls = 0;
  for (const [name, n] of parseCommandStats(stats)) if (name !== 'evalsha' && !name.includes('|')) calls += n;
  return { cpu: (num('used_cpu_sys') + num('used_cpu_user')) * 1e6, evalsha, calls };
}

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${String(code)}`)),
    );
  });
}

async function waitReady(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ingest exited ${child.exitCode}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error('ingest not ready after 60 s');
}

async function cleanup(prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await admin.disconnect();
  await deleteKeysWithPrefix(redis, prefix);
}

interface Sample {
  root: string;
  ingestUs: number;
  redisUs: number;
  evalshaUs: number;
  redisCalls: number;
  seconds: number;
}

async function measure(root: string, tag: string): Promise<Sample> {
  const prefix = `test_icpu_${tag}_`;
  const spoolDir = await mkdtemp(path.join(os.tmpdir(), 'icpu-spool-'));
  // Its own keys file, with the ingest key the load sends as an ad server with.
  const keysFile = path.join(spoolDir, 'api-keys.json');
  const { key } = await addKey(keysFile, { kind: 'ingest' }, 'ingest-cpu');
  const env = environmentWith({
    TOLLBOOTH_TOPIC_PREFIX: prefix,
    TOLLBOOTH_REDIS_PREFIX: prefix,
    TOLLBOOTH_INGEST_PORT: String(port),
    TOLLBOOTH_SPOOL_DIR: spoolDir,
    TOLLBOOTH_API_KEYS_FILE: keysFile,
    TOLLBOOTH_STACK_DIR: config.stackDir,
    // High enough that every click of the load is accepted: the heaviest path.
    TOLLBOOTH_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const child = spawn(process.execPath, ['bin/tollbooth.js', 'ingest'], { cwd: root, env, stdio: 'ignore' });
  const load = (batches: string) =>
    run(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/ingest-bench.ts',
        '--key',
        key,
        '--url',
        url,
        '--batches',
        batches,
        '--concurrency',
        values.concurrency,
      ],
      { cwd: process.cwd() },
    );
  try {
    await waitReady(child);
    await load(values.warmup);
    const pid = child.pid ?? 0;
    const [cpu0, redis0, t0] = [processCpuMicros(pid), await redisCpu(), performance.now()];
    await load(values.batches);
    // Let the written marks that trail the last batch finish inside the measured span.
    await sleep(500);
    const [cpu1, redis1, t1] = [processCpuMicros(pid), await redisCpu(), performance.now()];
    const clicks = Number(values.batches) * BATCH_SIZE;
    return {
      root,
      ingestUs: (cpu1 - cpu0) / clicks,
      redisUs: (redis1.cpu - redis0.cpu) / clicks,
      evalshaUs: (redis1.evalsha - redis0.evalsha) / clicks,
      redisCalls: (redis1.calls - redis0.calls) / clicks,
      seconds: (t1 - t0) / 1000,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    await cleanup(prefix);
    await rm(spoolDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const samples: Sample[] = [];
  const stamp = Date.now().toString(36);
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [i, root] of roots.entries()) {
      const s = await measure(root, `${stamp}_${round}_${i}`);
      samples.push(s);
      process.stdout.write(
        `round ${round + 1} root ${i}: ingest ${s.ingestUs.toFixed(1)} µs/click, redis ${s.redisUs.toFixed(1)} µs/click ` +
          `(evalsha ${s.evalshaUs.toFixed(1)}, ${s.redisCalls.toFixed(2)} calls), ${((Number(values.batches) * BATCH_SIZE) / s.seconds).toFixed(0)} clicks/s, load ${os.loadavg()[0]?.toFixed(2)}\n`,
      );
    }
  }
  process.stdout.write(
    '\n| root | runs | ingest µs/click (mean, each) | Redis µs/click (mean, each) | EVALSHA µs/click | Redis calls/click |\n|---|---|---|---|---|---|\n',
  );
  for (const [i, root] of roots.entries()) {
    const mine = samples.filter((s) => s.root === root);
    const mean = (f: (s: Sample) => number) => mine.reduce((a, s) => a + f(s), 0) / mine.length;
    const each = (f: (s: Sample) => number) => mine.map((s) => f(s).toFixed(1)).join(', ');
    process.stdout.write(
      `| ${i} | ${mine.length} | ${mean((s) => s.ingestUs).toFixed(1)} (${each((s) => s.ingestUs)}) | ` +
        `${mean((s) => s.redisUs).toFixed(1)} (${each((s) => s.redisUs)}) | ${mean((s) => s.evalshaUs).toFixed(1)} | ${mean((s) => s.redisCalls).toFixed(2)} |\n`,
    );
  }
}

try {
  await main();
} finally {
  redis.disconnect();
}
