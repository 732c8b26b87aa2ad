/** Kafka is the real thing: transactions commit and abort, and read_committed sees only commits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { createTopics, deleteTopics, readUntil, testKafka } from '../helpers/kafka.ts';
import { testPrefix } from '../helpers/prefix.ts';

const config = loadConfig();
const kafka = testKafka(config);
const topic = `${testPrefix('kafka')}txn`;

describe('Kafka (one KRaft node)', () => {
  beforeAll(() => createTopics(kafka, [topic], 2));
  afterAll(() => deleteTopics(kafka, [topic]));

  it('a read_committed consumer sees the committed batch and never the aborted one', async () => {
    const producer = kafka.producer({ transactionalId: `${topic}-producer`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const committed = await producer.transaction();
      await committed.send({ topic, messages: ['c1', 'c2', 'c3'].map((value) => ({ key: value, value })) });
      await committed.commit();

      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: ['a1', 'a2'].map((value) => ({ key: value, value })) });
      await aborted.abort();

      // A last committed record on every partition tells the reader it has read past the aborted batch.
      const end = await producer.transaction();
      await end.send({ topic, messages: [0, 1].map((partition) => ({ partition, value: 'end' })) });
      await end.commit();
    } finally {
      await producer.disconnect();
    }

    const seen = await readUntil(kafka, topic, (ms) => ms.filter((m) => m.value?.toString() === 'end').length === 2);
    const values = seen.map((m) => m.value?.toString()).filter((v) => v !== 'end');
    expect(values.sort()).toEqual(['c1', 'c2', 'c3']);

    // The aborted records are really in the log: an uncommitted reader sees them.
    const raw = await readUntil(kafka, topic, (ms) => ms.filter((m) => m.value?.toString() === 'end').length === 2, {
      readUncommitted: true,
    });
    expect(
      raw
        .map((m) => m.value?.toString())
        .filter((v) => v?.startsWith('a'))
        .sort(),
    ).toEqual(['a1', 'a2']);
  });
});
