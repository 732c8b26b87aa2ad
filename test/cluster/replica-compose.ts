/**
 * ZooKeeper's three nodes and two ClickHouse replicas in containers (clickhouse-replicas.compose.yml),
 * under a project of their own, with the config `tollbooth images configure` renders, and a host
 * config whose clients reach the replicas on their published ports: the test's migrations and
 * sink writer are the real code, run on the host.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import { closedPort } from '../../bench/support/ports.ts';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { environmentWith, loadConfig, type Config } from '../../src/shared/config.ts';
import { writeContainerConfigs } from '../../src/stack/images/container-config.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const ZOOKEEPER = 'zookeeper-1:2181,zookeeper-2:2181,zookeeper-3:2181';

export interface ReplicaCluster {
  project: string;
  /** The host's view: TOLLBOOTH_CLICKHOUSE_REPLICAS = the two published ports. */
  config: Config;
  addresses: [string, string];
  compose(...args: string[]): Promise<string>;
  /** A client of one replica only. */
  replica(i: 0 | 1): ClickHouseClient;
  cleanup(): void;
}

/** The migrations that touch ClickHouse only (no Kafka, no Flink here), linked from migrations/. */
function clickhouseMigrations(dir: string): string {
  const out = path.join(dir, 'migrations');
  mkdirSync(out);
  for (const f of readdirSync(path.join(repoRoot, 'migrations')))
    if ((f.endsWith('.sql') && !f.endsWith('.flink.sql')) || f === '0010_replicated_tables.ts')
      symlinkSync(path.join(repoRoot, 'migrations', f), path.join(out, f));
  return out;
}

export async function startReplicaCluster(): Promise<ReplicaCluster> {
  await run('node', [path.join(repoRoot, 'bin/tollbooth.js'), 'images', 'build', 'zookeeper', 'clickhouse'], {
    env: environmentWith({}),
    maxBuffer: 16 * 1024 * 1024,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'chrep-'));
  const project = `chrep${path
    .basename(dir)
    .slice(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  const stackDir = path.join(dir, 'state');
  const conf = path.join(dir, 'conf');
  // As the compose file's `configure` renders it: the replicas by their service names.
  const inside = loadConfig({
    TOLLBOOTH_STACK_DIR: stackDir,
    TOLLBOOTH_CLICKHOUSE_REPLICAS: 'clickhouse-1:8123,clickhouse-2:8123',
    TOLLBOOTH_ZOOKEEPER: ZOOKEEPER,
  });
  writeContainerConfigs(inside, conf, 'taskmanager');
  await run('chown', ['-R', '10001:10001', conf]);
  const ports = [await closedPort(), await closedPort()] as const;
  const env = environmentWith({ CHREP_CONF: conf, CHREP_PORT_1: String(ports[0]), CHREP_PORT_2: String(ports[1]) });
  const file = path.join(repoRoot, 'test/cluster/clickhouse-replicas.compose.yml');
  const compose = async (...args: string[]) =>
    (await run('docker-compose', ['-p', project, '-f', file, ...args], { env, maxBuffer: 16 * 1024 * 1024 })).stdout;
  const addresses: [string, string] = [`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`];
  const config = loadConfig({
    TOLLBOOTH_STACK_DIR: stackDir,
    TOLLBOOTH_CLICKHOUSE_REPLICAS: addresses.join(','),
    TOLLBOOTH_ZOOKEEPER: ZOOKEEPER,
    TOLLBOOTH_MIGRATIONS_DIR: clickhouseMigrations(dir),
    TOLLBOOTH_CLICKHOUSE_DATABASE: 'tollbooth_replicas',
  });
  const clients: ClickHouseClient[] = [];
  return {
    project,
    config,
    addresses,
    compose,
    replica(i) {
      const client = createClickHouse(config, { address: addresses[i], requestTimeoutMs: 10_000 });
      clients.push(client);
      return client;
    },
    cleanup() {
      for (const c of clients) void c.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function scalar(client: ClickHouseClient, query: string): Promise<string> {
  const rs = await client.query({ query, format: 'JSONEachRow' });
  const [row] = (await rs.json()) as Array<Record<string, unknown>>;
  return String(Object.values(row ?? {})[0]);
}

/** Rows per replicated table of the database, and the replication queue, on one replica. */
export async function replicaState(
  client: ClickHouseClient,
  db: string,
): Promise<{ counts: Record<string, number>; queue: number; active: number }> {
  const rs = await client.query({
    query: `SELECT table, queue_size, active_replicas FROM system.replicas WHERE database = '${db}' ORDER BY table`,
    format: 'JSONEachRow',
  });
  const rows = (await rs.json()) as Array<{ table: string; queue_size: number; active_replicas: number }>;
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.table] = Number(await scalar(client, `SELECT count() FROM ${db}.${r.table}`));
  return {
    counts,
    queue: rows.reduce((n, r) => n + Number(r.queue_size), 0),
    active: Math.min(...rows.map((r) => Number(r.active_replicas))),
  };
}
