/**
 * Two ClickHouse replicas on a three-node ZooKeeper (docs/cluster-clickhouse.md): `migrate up`
 * on both, pipeline rows written by the sink's real writer with insert_quorum 2, the same rows on
 * both replicas; then clickhouse-1 lost with its disk and an empty one in its place, which
 * `tollbooth migrate up` (the migrations, on each replica) brings back to every row; then one
 * ZooKeeper node lost, and inserts go on. Prints the measured figures.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachReplica } from '../../src/migrate/replica-runs.ts';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { logger } from '../../src/shared/logger.ts';
import { clickhouseWriter, type PendingRow, type RowWriter } from '../../src/sink/clickhouse-writer.ts';
import { insertQuorumSettings } from '../../src/sink/insert-quorum.ts';
import { TableColumns } from '../../src/sink/table-columns.ts';
import { eventually } from '../helpers/prefix.ts';
import { replicaState, startReplicaCluster, type ReplicaCluster } from './replica-compose.ts';

const quiet = logger.child({ component: 'test-replicas' }, { level: 'warn' });
let cluster: ReplicaCluster;
let writer: RowWriter;
let sinkClient: ClickHouseClient;
let db = '';
let offset = 0;
let window = Date.UTC(2026, 0, 1) / 1000;

const dateTime = (s: number) => new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');

/** `windows` closed windows of three ads each, as the job's records reach the sink. */
function batch(windows: number): PendingRow[] {
  const rows: PendingRow[] = [];
  for (let w = 0; w < windows; w++, window += 60) {
    const span = { window_start: dateTime(window), window_end: dateTime(window + 60) };
    for (const ad of ['a1', 'a2', 'a3'])
      rows.push({ table: 'ad_clicks_minute_log', row: { ad_id: ad, ...span, clicks: 7 }, source: source() });
    rows.push({ table: 'windows_closed', row: span, source: source() });
  }
  return rows;
}
function source() {
  offset += 1;
  return { topic: 'pipeline_out', partition: 0, offset: String(offset), value: null };
}

const migrateUp = () => forEachReplica(cluster.config, quiet, 'up', async ({ migrator }) => (await migrator.up(), 0));

/** Both replicas hold the same rows and have nothing left to fetch. */
async function inSync(): Promise<Record<string, number> | undefined> {
  const [a, b] = [await replicaState(cluster.replica(0), db), await replicaState(cluster.replica(1), db)];
  if (a.queue > 0 || b.queue > 0 || JSON.stringify(a.counts) !== JSON.stringify(b.counts)) return undefined;
  return a.counts;
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  return [await f(), performance.now() - started];
}

beforeAll(async () => {
  if (!chosen) return;
  cluster = await startReplicaCluster();
  db = cluster.config.clickhouse.database;
  await cluster.compose('up', '-d');
  for (const i of [0, 1] as const)
    await eventually(async () => ((await cluster.replica(i).ping()).success ? true : undefined), 120_000, 'clickhouse');
  await eventually(async () => ((await migrateUp()) === 0 ? true : undefined), 60_000, 'migrate up (ZooKeeper)');
  const settings = insertQuorumSettings(cluster.config);
  sinkClient = createClickHouse(cluster.config, settings === undefined ? {} : { settings });
  writer = clickhouseWriter(sinkClient, db, new TableColumns(sinkClient, db));
});
afterAll(async () => {
  await sinkClient?.close();
  await cluster?.compose('down', '-v', '--remove-orphans');
  cluster?.cleanup();
});

// The ClickHouse and ZooKeeper machine losses: in `npm run test:cluster` (TOLLBOOTH_CLUSTER_FAULTS
// all, or clickhouse-1); CI's cluster run has the Kafka broker's and the Redis master's.
const faults = loadConfig().clusterTest.faults;
const chosen = faults.includes('all') || faults.includes('clickhouse-1');

describe.runIf(chosen)('two ClickHouse replicas', () => {
  it('replicate every table the sink writes; schema_migrations stays each replica’s own', async () => {
    const engines = await replicaState(cluster.replica(1), db);
    expect(Object.keys(engines.counts)).toEqual(
      expect.arrayContaining(['windows_closed', 'ad_clicks_minute_log', 'dead_letters']),
    );
    expect(Object.keys(engines.counts)).not.toContain('schema_migrations');
  });

  it('hold the same rows after quorum inserts through the sink writer', async () => {
    const [dead, quorumMs] = await timed(() => writer.write(batch(20)));
    expect(dead).toEqual([]);
    const plain = cluster.replica(0);
    const plainWriter = clickhouseWriter(plain, db, new TableColumns(plain, db));
    const [, plainMs] = await timed(() => plainWriter.write(batch(20)));
    const counts = await eventually(inSync, 60_000, 'replicas in sync');
    expect(counts.windows_closed).toBe(40);
    expect(counts.ad_clicks_minute_log).toBe(120);
    console.log(
      `insert of 20 windows (2 tables): insert_quorum=2 ${quorumMs.toFixed(0)} ms, without ${plainMs.toFixed(0)} ms`,
    );
  });

  it('refuse quorum inserts while a replica is lost, then rebuild an empty replica by migrate up', async () => {
    await cluster.compose('rm', '--stop', '--force', 'clickhouse-1');
    execFileSync('docker', ['volume', 'rm', `${cluster.project}_clickhouse-1`]);
    // The sink's outage path: it throws (the batch is retried), nothing is dead-lettered.
    const pending = batch(1);
    const [refused, refusedMs] = await timed(() =>
      writer.write(pending).then(
        () => 'written',
        (e: Error) => e.message,
      ),
    );
    expect(refused).toMatch(/Code: (285|319|159)|alive replicas|quorum/i);
    console.log(`quorum insert with a replica down refused after ${refusedMs.toFixed(0)} ms: ${refused.slice(0, 120)}`);
    const lostAt = Date.now();
    await cluster.compose('up', '-d', '--no-deps', 'clickhouse-1');
    await eventually(
      async () => ((await cluster.replica(0).ping()).success ? true : undefined),
      120_000,
      'clickhouse-1',
    );
    const [, migrateMs] = await timed(migrateUp);
    const [counts, syncMs] = await timed(() => eventually(inSync, 300_000, 'clickhouse-1 re-replicated'));
    expect(counts.windows_closed).toBe(40);
    console.log(
      `empty clickhouse-1 back: migrate up ${(migrateMs / 1000).toFixed(1)} s, then in sync after ${(syncMs / 1000).toFixed(1)} s (${((Date.now() - lostAt) / 1000).toFixed(1)} s from its start)`,
    );
    // The batch the sink kept retrying goes in now, on both.
    expect(
      await eventually(
        async () =>
          await writer.write(pending).then(
            () => true,
            () => undefined,
          ),
        60_000,
        'insert',
      ),
    ).toBe(true);
    expect((await eventually(inSync, 60_000, 'in sync')).windows_closed).toBe(41);
  });

  it('keep inserting with one ZooKeeper node lost', async () => {
    await cluster.compose('kill', 'zookeeper-2');
    const [dead, ms] = await timed(async () => {
      const results = [];
      for (let i = 0; i < 10; i++) results.push(...(await writer.write(batch(1))));
      return results;
    });
    expect(dead).toEqual([]);
    expect((await eventually(inSync, 60_000, 'in sync')).windows_closed).toBe(51);
    console.log(`10 quorum inserts with zookeeper-2 down: ${(ms / 10).toFixed(0)} ms each`);
    await cluster.compose('start', 'zookeeper-2');
  });
});
