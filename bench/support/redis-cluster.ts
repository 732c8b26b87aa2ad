/**
 * A real Redis Cluster on this machine for tests and benchmarks: 6 redis-server processes
 * (3 masters, 3 replicas) on free loopback ports, each in a temporary folder, with a password,
 * append-only files and a 2 s node timeout (so a failover takes seconds). Stopped by pid, and
 * the folders removed, by stop().
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, openSync, closeSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

const SERVER = '/usr/bin/redis-server';
const CLI = '/usr/bin/redis-cli';
export const NODE_TIMEOUT_MS = 2000;

export interface ClusterNode {
  port: number;
  dir: string;
  proc: ChildProcess | null;
}

export interface TestCluster {
  password: string;
  nodes: ClusterNode[];
  /** "127.0.0.1:port,..." as TOLLBOOTH_REDIS_CLUSTER takes it. */
  seeds: string;
  root: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs redis-cli with the password in REDISCLI_AUTH (never on the command line); stdout. */
export function cli(password: string, args: string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      CLI,
      ['--no-auth-warning', ...args],
      { timeout: timeoutMs, env: { PATH: '/usr/bin:/bin', REDISCLI_AUTH: password } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`redis-cli ${args.join(' ')}: ${err.message}\n${stderr}${stdout}`)) : resolve(stdout),
    );
  });
}

/** Polls until check() is true, or fails naming what it waited for. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
      last = null;
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  server.on('error', () => undefined);
  server.listen(port, '127.0.0.1');
  // events.once rejects on 'error': a port in use is false, not a throw.
  const ok = await once(server, 'listening').then(
    () => true,
    () => false,
  );
  if (ok) {
    server.close();
    await once(server, 'close');
  }
  return ok;
}

/** A port whose cluster bus port (port + 10000) is free too. */
async function freePort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000) || taken.has(port - 10_000)) continue;
    if ((await portFree(port)) && (await portFree(port + 10_000))) return port;
  }
  throw new Error('no free port pair (port, port + 10000) on 127.0.0.1');
}

/** Starts redis-server for a node in its folder (which the caller empties or keeps). */
export async function startNode(node: ClusterNode, password: string, opts: { cluster?: boolean } = {}): Promise<void> {
  mkdirSync(node.dir, { recursive: true });
  const log = openSync(path.join(node.dir, 'redis.log'), 'a');
  const proc = spawn(
    SERVER,
    [
      ...['--port', String(node.port), '--bind', '127.0.0.1', '--dir', node.dir],
      ...(opts.cluster === false
        ? []
        : [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            String(NODE_TIMEOUT_MS),
          ]),
      ...['--appendonly', 'yes', '--save', ''],
      ...['--requirepass', password, '--masterauth', password, '--daemonize', 'no'],
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  node.proc = proc;
  proc.on('exit', () => {
    if (node.proc === proc) node.proc = null;
  });
  await until(`redis-server on port ${node.port} to answer PING`, async () => {
    if (node.proc !== proc) throw new Error(`redis-server exited; see ${path.join(node.dir, 'redis.log')}`);
    return (await cli(password, ['-p', String(node.port), 'PING'], 2000)).trim() === 'PONG';
  });
}

/** Sends a signal to a node's process by pid and, for SIGKILL/SIGTERM, waits for it to exit. */
export async function signalNode(node: ClusterNode, signal: NodeJS.Signals): Promise<void> {
  const proc = node.proc;
  if (!proc || proc.pid === undefined) return;
  if (signal === 'SIGKILL' || signal === 'SIGTERM') {
    const exited = once(proc, 'exit');
    process.kill(proc.pid, signal);
    await exited;
  } else {
    process.kill(proc.pid, signal);
  }
}

export async function clusterInfo(password: string, port: number): Promise<Record<string, string>> {
  const text = await cli(password, ['-p', String(port), 'CLUSTER', 'INFO'], 2000);
  return Object.fromEntries(
    text
      .split(/\r?\n/)
      .filter((l) => l.includes(':'))
      .map((l) => l.split(':', 2) as [string, string]),
  );
}

/** Every live node says cluster_state:ok and knows all 16384 slots assigned. */
export async function clusterOk(cluster: TestCluster): Promise<boolean> {
  for (const n of cluster.nodes.filter((x) => x.proc)) {
    const info = await clusterInfo(cluster.password, n.port);
    if (info.cluster_state !== 'ok' || info.cluster_slots_assigned !== '16384') return false;
  }
  return true;
}

/** One plain (not cluster) redis-server, as the project runs by default: to compare with. */
export async function startStandaloneRedis(): Promise<{ port: number; password: string; stop(): Promise<void> }> {
  const password = randomBytes(16).toString('hex');
  const port = await freePort(new Set()); // before the folder: a failure here leaves nothing behind
  const root = mkdtempSync(path.join(tmpdir(), 'tollbooth-redis-one-'));
  const node: ClusterNode = { port, dir: root, proc: null };
  const stop = async () => {
    await signalNode(node, 'SIGKILL').catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  await startNode(node, password, { cluster: false }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { port: node.port, password, stop };
}

export async function startRedisCluster(opts: { masters?: number } = {}): Promise<TestCluster> {
  const masters = opts.masters ?? 3;
  const password = randomBytes(16).toString('hex');
  const taken = new Set<number>();
  for (let i = 0; i < masters * 2; i++) taken.add(await freePort(taken));
  // The folder after the ports: a failure finding them leaves nothing behind.
  const root = mkdtempSync(path.join(tmpdir(), 'tollbooth-redis-cluster-'));
  const nodes: ClusterNode[] = [...taken].map((port) => ({ port, dir: path.join(root, String(port)), proc: null }));
  const cluster: TestCluster = {
    password,
    nodes,
    root,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    stop: async () => {
      await Promise.all(nodes.map((n) => signalNode(n, 'SIGKILL').catch(() => undefined)));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => startNode(n, password)));
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await cli(password, ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'], 60_000);
    await until('cluster_state:ok on every node', () => clusterOk(cluster));
    await until('every replica linked to its master', async () => {
      const roles = await Promise.all(nodes.map((n) => cli(password, ['-p', String(n.port), 'INFO', 'replication'])));
      return roles.filter((r) => r.includes('role:slave') && r.includes('master_link_status:up')).length === masters;
    });
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
