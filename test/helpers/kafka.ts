/** Kafka helpers for tests: prefixed topics, guarded deletion, read-until. */
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import type { Config } from '../../src/shared/config.ts';
import { eventually } from './prefix.ts';

export { deleteTopics } from '../../bench/support/clean-prefix.ts';

export function testKafka(config: Config, clientId = 'tollbooth-test'): Kafka {
  return new Kafka({ clientId, brokers: [`${config.host}:${config.kafka.port}`], logLevel: logLevel.ERROR });
}

export async function createTopics(kafka: Kafka, topics: string[], partitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads a topic from the beginning until `done(messages)` holds; resolves with what was read.
 * `readUncommitted` false (the default) gives a read_committed consumer.
 */
export async function readUntil(
  kafka: Kafka,
  topic: string,
  done: (messages: KafkaMessage[]) => boolean,
  opts: { timeoutMs?: number; readUncommitted?: boolean } = {},
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({
    groupId: `${topic}reader_${Date.now()}`,
    readUncommitted: opts.readUncommitted ?? false,
  });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    await eventually(async () => (done(messages) ? true : undefined), opts.timeoutMs ?? 30_000, `messages on ${topic}`);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
