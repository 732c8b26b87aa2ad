/**
 * Removes what a test or benchmark prefix owns (its topics, Redis keys and spool folder), and
 * refuses anything that does not carry the test prefix.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { brokerAddresses, createRedis } from '../../src/shared/clients.ts';
import type { Config } from '../../src/shared/config.ts';
import { assertTestResource } from './prefix.ts';

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  topics.forEach(assertTestResource);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
  } finally {
    await admin.disconnect();
  }
}

/** Unlinks every Redis key under a test prefix; refuses a non-test prefix. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  assertTestResource(prefix);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/** Deletes the test's topics, Redis keys and spool folder; refuses a non-test prefix. */
export async function cleanUp(config: Config): Promise<void> {
  assertTestResource(config.kafka.topicPrefix);
  assertTestResource(config.dedup.keyPrefix);
  await deleteTopicsWithPrefix(config);
  const redis = createRedis(config);
  try {
    await deleteKeysWithPrefix(redis, config.dedup.keyPrefix);
  } finally {
    await redis.quit();
  }
  // testEnv put the spool and the keys file in one temp folder named with the prefix.
  const root = path.dirname(config.ingest.spoolDir);
  if (path.basename(root).startsWith(config.dedup.keyPrefix)) await rm(root, { recursive: true, force: true });
  else await rm(config.ingest.spoolDir, { recursive: true, force: true });
}

/** Every topic under the test's prefix (ensureTopics may create more than clicks and clicks_rejected). */
async function deleteTopicsWithPrefix(config: Config): Promise<void> {
  const kafka = new Kafka({
    clientId: 'tollbooth-cleanup',
    brokers: brokerAddresses(config),
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  await admin.connect();
  const mine = (await admin.listTopics().finally(() => admin.disconnect())).filter((t) =>
    t.startsWith(config.kafka.topicPrefix),
  );
  await deleteTopics(kafka, mine);
}
