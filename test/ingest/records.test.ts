/**
 * What the ingest writes to Kafka (message v4, docs/messages.md): a produce call's clicks merged
 * into one keyless record per partition, each click in the partition a v3 record keyed by its
 * click_id lands in, so every copy of a click_id, of either version, is read in one partition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../src/shared/messages.ts';
import type { Kafka } from 'kafkajs';
import { testKafka } from '../helpers/kafka.ts';
import { eventually } from '../helpers/prefix.ts';
import { BROWSER, cleanUp, readTopic, setUpTopics, startTestIngest, testEnv, type TestIngest } from './harness.ts';

let ingest: TestIngest;

beforeAll(async () => {
  ingest = await startTestIngest(await testEnv('records'));
  await setUpTopics(ingest.config);
});
afterAll(async () => {
  await ingest?.close();
  if (ingest) await cleanUp(ingest.config);
});

describe('records of clicks (message v4)', () => {
  it('writes a batch as one array record per partition, each click where its key would put it', async () => {
    const { config } = ingest;
    const topics = topicNames(config);
    const tag = Math.random().toString(36).slice(2, 8);
    const ids = Array.from({ length: 60 }, (_, i) => `rec-${tag}-${i}`);
    const items = ids.map((click_id, i) => ({
      click_id,
      ad_id: `ad-${i % 3}`,
      user_id: `u-${i}`,
      ts: Date.now() - 1000,
      ip: '10.0.0.1',
      user_agent: BROWSER,
    }));
    const res = await ingest.app.inject({
      method: 'POST',
      url: '/v1/clicks',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingest.ingestKey}` },
      payload: JSON.stringify(items),
    });
    expect(res.json()).toMatchObject({ accepted: 60, rejected: 0, invalid: 0 });

    const seen = (
      await readTopic(config, topics.clicks, (ms) => ms.filter((m) => ids.includes(m.key ?? '')).length === 60)
    ).filter((m) => ids.includes(m.key ?? ''));
    expect(seen.every((m) => m.recordKey === null && m.message.v === 4)).toBe(true);
    const records = new Set(seen.map((m) => `${m.partition}@${m.offset}`));
    const partitions = new Set(seen.map((m) => m.partition));
    // One record per partition the batch touches (60 keys over the topic's partitions: all of them).
    expect(partitions.size).toBe(config.kafka.partitions);
    expect(records.size).toBe(partitions.size);
    expect(seen.map((m) => m.key)).toEqual(expect.arrayContaining(ids));

    // Where kafkajs puts a record keyed by each click_id, on a probe topic of as many partitions.
    const kafka = testKafka(config, `${config.kafka.topicPrefix}probe`);
    const probeTopic = `${config.kafka.topicPrefix}probe`;
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    try {
      await admin.createTopics({
        topics: [{ topic: probeTopic, numPartitions: config.kafka.partitions }],
        waitForLeaders: true,
      });
      const placed = await producer.send({ topic: probeTopic, messages: ids.map((key) => ({ key, value: key })) });
      const probePartition = await probePartitions(kafka, probeTopic, ids.length);
      expect(placed.length).toBeGreaterThan(1);
      for (const m of seen) expect([m.key, m.partition]).toEqual([m.key, probePartition.get(m.key ?? '')]);
    } finally {
      await producer.disconnect();
      await admin.deleteTopics({ topics: [probeTopic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});

/** The partition each keyed probe record landed in, read back from the broker. */
async function probePartitions(kafka: Kafka, topic: string, n: number): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `${topic}_${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        found.set(message.key?.toString() ?? '', partition);
      },
    });
    await eventually(async () => (found.size === n ? true : undefined), 60_000, `probes on ${topic}`);
    return found;
  } finally {
    await consumer.disconnect();
  }
}
