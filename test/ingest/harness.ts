/**
 * An ingest wired to the real Redis and Kafka under a fresh test prefix (topics and Redis
 * keys), with cleanup that refuses to touch anything without that prefix.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { addKey } from '../../src/api/auth/keys-file.ts';
import { environmentWith, loadConfig, type Config } from '../../src/shared/config.ts';
import { decodeRecord, type Message } from '../../src/shared/messages.ts';
import { ensureTopics } from '../../src/shared/topics.ts';
import { buildApp } from '../../src/ingest/app.ts';
import { createIngestRuntime, type IngestRuntime } from '../../src/ingest/runtime.ts';
import { testKafka } from '../helpers/kafka.ts';
import { assertTestResource, eventually, testPrefix } from '../helpers/prefix.ts';

// Shared with the benchmarks, which never import test/.
export { cleanUp } from '../../bench/support/clean-prefix.ts';
export { closedPort } from '../../bench/support/ports.ts';

export const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/** The env for one test's resources: its own topics, Redis keys, spool folder and keys file. */
export async function testEnv(
  area: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string | undefined>> {
  const prefix = testPrefix(area);
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  return environmentWith({
    TOLLBOOTH_TOPIC_PREFIX: prefix,
    TOLLBOOTH_REDIS_PREFIX: prefix,
    TOLLBOOTH_SPOOL_DIR: path.join(root, 'spool'),
    TOLLBOOTH_API_KEYS_FILE: path.join(root, 'api-keys.json'),
    ...extra,
  });
}

export interface TestIngest {
  config: Config;
  app: FastifyInstance;
  runtime: IngestRuntime;
  /** A key of scope ingest in the test's keys file: its body's ip, user_agent, campaign_id count. */
  ingestKey: string;
  /** The sender of ingestKey: the namespace its click_ids and user_ids live in. */
  sender: string;
  close(): Promise<void>;
}

export async function startTestIngest(env: Record<string, string | undefined>): Promise<TestIngest> {
  const config = loadConfig(env);
  const sender = `test-server-${randomBytes(4).toString('hex')}`;
  const { key: ingestKey } = await addKey(config.api.keysFile, { kind: 'ingest' }, sender);
  const runtime = await createIngestRuntime(config);
  const app = buildApp(runtime.appDeps);
  await app.ready();
  return {
    config,
    app,
    runtime,
    ingestKey,
    sender,
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}

/** Listens on a free loopback port; returns the base URL. */
export async function listenLocally(ingest: TestIngest): Promise<string> {
  await ingest.app.listen({ host: '127.0.0.1', port: 0 });
  const address = ingest.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** Creates the test's topics. */
export async function setUpTopics(config: Config): Promise<void> {
  assertTestResource(config.kafka.topicPrefix);
  await ensureTopics(config);
}

export interface Decoded {
  /** The message's click_id, the key a v3 record had (null for a heartbeat). */
  key: string | null;
  /** The record's own key: null for a v4 record of clicks and for a heartbeat. */
  recordKey: string | null;
  partition: number;
  offset: string;
  message: Message;
}

/** Reads a topic from the start until `done` holds on the decoded messages (polling, no sleeps). */
export async function readTopic(
  config: Config,
  topic: string,
  done: (msgs: Decoded[]) => boolean,
  timeoutMs = 60_000,
): Promise<Decoded[]> {
  const consumer = testKafka(config, `reader-${topic}`).consumer({
    groupId: `${topic}reader_${Date.now()}_${Math.random()}`,
  });
  const seen: Decoded[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        for (const d of decodeRecord(message.value)) {
          if (!d.ok) throw new Error(`undecodable message on ${topic}: ${d.error}`);
          const key = d.message.kind === 'heartbeat' ? null : d.message.click_id;
          const recordKey = message.key?.toString() ?? null;
          seen.push({ key, recordKey, partition, offset: message.offset, message: d.message });
        }
      },
    });
    await eventually(async () => (done(seen) ? true : undefined), timeoutMs, `messages on ${topic}`);
    return [...seen];
  } finally {
    await consumer.disconnect();
  }
}

/** Click ids of click messages (heartbeats left out). */
export function clickIds(msgs: Decoded[]): string[] {
  return msgs.flatMap((m) => (m.message.kind === 'heartbeat' ? [] : [m.message.click_id]));
}
