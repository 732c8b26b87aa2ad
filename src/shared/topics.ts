/**
 * Creates the project's topics with their configured partitions and retention. Producers
 * never auto-create topics: a topic made by auto-creation gets broker defaults, not ours.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { Config } from './config.ts';
import { createKafka } from './clients.ts';
import { topicNames } from './messages.ts';

/** Creates `clicks`, `clicks_rejected` and `pipeline_out` if missing; returns the names it created. */
export async function ensureTopics(
  config: Config,
  kafka: Kafka = createKafka(config, 'tollbooth-topics'),
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await createMissing(admin, config);
  } finally {
    await admin.disconnect();
  }
}

async function createMissing(admin: Admin, config: Config): Promise<string[]> {
  const { clicks, rejected } = topicNames(config);
  const wanted = new Map([
    [clicks, config.kafka.partitions],
    [rejected, config.kafka.partitions],
    // One partition: the Flink job's output is small, and one partition gives it a total order
    // (the first emission of a window is the one with the lowest offset).
    [topicNames(config).pipelineOut, 1],
  ]);
  const existing = new Set(await admin.listTopics());
  const missing = [...wanted.keys()].filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  const retentionMs = String(config.kafka.retentionHours * 3600 * 1000);
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: wanted.get(topic) ?? config.kafka.partitions,
      // 1 on one machine; a cluster's 3 copies with min.insync.replicas 2 survive a lost broker
      // and keep taking writes (acks=all waits for 2 copies).
      replicationFactor: config.kafka.replicationFactor,
      configEntries: [
        { name: 'retention.ms', value: retentionMs },
        { name: 'min.insync.replicas', value: String(config.kafka.minInsyncReplicas) },
      ],
    })),
  });
  return missing;
}

/** The partition ids of a topic, as the broker reports them now. */
export async function partitionsOf(admin: Admin, topic: string): Promise<number[]> {
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  return (meta.topics[0]?.partitions ?? []).map((p) => p.partitionId).sort((a, b) => a - b);
}
