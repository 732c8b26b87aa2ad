/**
 * The pipeline's side of health: each Flink job's state and last checkpoint, consumer lag per
 * group and topic, the newest final window, and dead letters. Each figure is read on its own,
 * so one service being down leaves the others readable (an unreadable figure is undefined).
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../shared/config.ts';
import { brokerAddresses } from '../shared/clients.ts';
import { sqlIdentifier } from '../shared/clickhouse.ts';
import { topicNames } from '../shared/messages.ts';
import { jobGroupId } from '../shared/names.ts';
import type { JobDeployer } from '../flink/deploy.ts';
import type { JobHealth, LagHealth } from './health.ts';

export { newestFinalWindowEnd } from '../shared/final-window.ts';

// 2 s per probe: on loopback a slower answer means the service is down, and status must not hang.
const PROBE_TIMEOUT_MS = 2000;

async function lastCheckpointAt(config: Config, jobId: string): Promise<number | undefined> {
  const res = await fetch(`http://${config.flink.host}:${config.flink.restPort}/jobs/${jobId}/checkpoints`, {
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  });
  if (!res.ok) return undefined;
  const body = (await res.json()) as { latest?: { completed?: { latest_ack_timestamp?: number } | null } };
  return body.latest?.completed?.latest_ack_timestamp ?? undefined;
}

export async function jobHealth(config: Config, jobs: JobDeployer): Promise<{ jobs: JobHealth[]; groups: string[] }> {
  const all = await jobs.status();
  const out = await Promise.all(
    all.map(async (j) => ({
      name: j.name,
      wanted: j.wanted,
      state: j.state,
      lastCheckpointAt:
        j.state === 'UNKNOWN' ? undefined : await lastCheckpointAt(config, j.jobId).catch(() => undefined),
    })),
  );
  // The job's Kafka source commits its offsets on each checkpoint under the job's own name.
  const groups = all.filter((j) => j.wanted === 'running').map((j) => jobGroupId(config, j.name));
  return { jobs: out, groups };
}

async function groupLag(admin: Admin, group: string, topic: string): Promise<number> {
  const [latest, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId: group, topics: [topic] }),
  ]);
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return latest.reduce((sum, p) => {
    const at = done.get(p.partition) ?? -1;
    // -1: nothing committed yet, so everything from the start is still to read.
    const from = at < 0 ? Number(p.low) : at;
    return sum + Math.max(0, Number(p.high) - from);
  }, 0);
}

/** Lag of the sink's group on `pipeline_out`, and of each job's group on `clicks` and `clicks_rejected`. */
export async function consumerLag(config: Config, jobGroups: string[]): Promise<LagHealth[]> {
  const topics = topicNames(config);
  const sinkGroup = `${config.kafka.topicPrefix}tollbooth-sink`;
  const pairs = [
    { group: sinkGroup, topic: topics.pipelineOut },
    ...jobGroups.flatMap((group) => [topics.clicks, topics.rejected].map((topic) => ({ group, topic }))),
  ];
  // Quiet and quick: a broker that is down is a figure of the status (lag unknown), not log noise.
  const kafka = new Kafka({
    clientId: 'tollbooth-status',
    brokers: brokerAddresses(config),
    logLevel: logLevel.NOTHING,
    connectionTimeout: PROBE_TIMEOUT_MS,
    retry: { retries: 1 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await Promise.all(
      pairs.map(async (p) => ({ ...p, lag: await groupLag(admin, p.group, p.topic).catch(() => undefined) })),
    );
  } catch {
    return pairs.map((p) => ({ ...p, lag: undefined }));
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function scalar(clickhouse: ClickHouseClient, query: string): Promise<number | undefined> {
  const rs = await clickhouse.query({ query, format: 'JSONEachRow' });
  const [row] = (await rs.json()) as Array<{ v: string | number | null }>;
  return row?.v === null || row?.v === undefined ? undefined : Number(row.v);
}

/** Rows in the dead-letter table, if the schema has one. */
export async function deadLetters(config: Config, clickhouse: ClickHouseClient): Promise<number | undefined> {
  const db = sqlIdentifier(config.clickhouse.database);
  const exists = await scalar(
    clickhouse,
    `SELECT count() AS v FROM system.tables WHERE database = '${db}' AND name = 'dead_letters'`,
  );
  if (!exists) return undefined;
  return scalar(clickhouse, `SELECT count() AS v FROM ${db}.dead_letters`);
}
