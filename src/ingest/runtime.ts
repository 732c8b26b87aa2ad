/**
 * The ingest's real dependencies, made from config: Redis, Kafka, the verdict store, the
 * producer, the spool. Shared by main.ts and the integration tests, so tests run the same
 * wiring as production.
 */
import type { Admin } from 'kafkajs';
import { Cluster, type Redis } from 'ioredis';
import type { Config } from '../shared/config.ts';
import { createKafka, createRedisClient, lazyAdmin } from '../shared/clients.ts';
import { logger, type Logger } from '../shared/logger.ts';
import { topicNames } from '../shared/messages.ts';
import { ensureTopics, partitionsOf } from '../shared/topics.ts';
import { anonLimiter } from '../dedup/address.ts';
import { cachedKeyLookup } from '../api/auth/keys-file.ts';
import { ClusterVerdictStore } from '../dedup/cluster-store.ts';
import { RedisVerdictStore } from '../dedup/redis-store.ts';
import type { AppDeps } from './app.ts';
import { InFlight } from './in-flight.ts';
import { LinkClicks } from './link-clicks.ts';
import { IngestMetrics } from './metrics.ts';
import type { PipelineDeps } from './pipeline.ts';
import { KafkaRecordProducer } from './producer.ts';
import { readinessCheck } from './readiness.ts';
import { Spool } from './spool.ts';
import { WrittenMarks } from './written-marks.ts';

export interface IngestRuntime {
  appDeps: AppDeps;
  pipeline: PipelineDeps;
  producer: KafkaRecordProducer;
  linkClicks: LinkClicks;
  /** The Redis Cluster when TOLLBOOTH_REDIS_CLUSTER is set, else the one node. */
  redis: Redis | Cluster;
  admin: () => Promise<Admin>;
  log: Logger;
  /** Flushes the producer and the spool drain, then closes every client. */
  close(): Promise<void>;
}

export async function createIngestRuntime(
  config: Config,
  opts: { defaultMetrics?: boolean } = {},
): Promise<IngestRuntime> {
  const log = logger.child({ component: 'ingest' });
  const redis = createRedisClient(config);
  const kafka = createKafka(config, 'tollbooth-ingest');
  const rawAdmin = kafka.admin();
  const admin = lazyAdmin(rawAdmin);
  const metrics = new IngestMetrics({ defaultMetrics: opts.defaultMetrics ?? false });
  const partitionCount = async (topic: string) => (await partitionsOf(await admin(), topic)).length;
  const producer = new KafkaRecordProducer(kafka, metrics, partitionCount, () => ensureTopics(config, kafka));
  // Now, so heartbeats find the topic; if Kafka is down, the producer tries again before its first send.
  await ensureTopics(config, kafka).catch((err: unknown) =>
    log.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'could not ensure topics now; batches get 503 until Kafka is up',
    ),
  );

  const limits = {
    keyPrefix: config.dedup.keyPrefix,
    horizonSeconds: config.dedup.horizonSeconds,
    windowMs: config.dedup.windowMs,
    ratePerWindow: config.dedup.rateLimitPerMinute,
  };
  // On a cluster: per-slot phases, each acknowledged by a replica (docs/ingest.md).
  const { waitReplicas, waitTimeoutMs } = config.redis;
  const store =
    redis instanceof Cluster
      ? new ClusterVerdictStore(redis, { ...limits, waitReplicas, waitTimeoutMs })
      : new RedisVerdictStore(redis, limits);
  const pipeline: PipelineDeps = {
    store,
    producer,
    topics: topicNames(config),
    metrics,
    inFlight: new InFlight(),
    written: new WrittenMarks(store, metrics, log),
    windowMs: config.dedup.windowMs,
    horizonMs: config.dedup.horizonSeconds * 1000,
    addressLimit: anonLimiter(config.dedup.anon),
    now: Date.now,
  };
  const spool = new Spool(config.ingest.spoolDir);
  await spool.open();
  const linkClicks = new LinkClicks(pipeline, spool, log);
  const lookupKey = cachedKeyLookup(config.api.keysFile);
  const appDeps: AppDeps = {
    config,
    pipeline,
    linkClicks,
    readiness: readinessCheck(redis, admin),
    metrics,
    log,
    lookupKey,
  };

  const close = async (): Promise<void> => {
    await linkClicks.stop();
    await producer.close();
    await pipeline.written.settled();
    await spool.close();
    await rawAdmin.disconnect().catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
  };
  return { appDeps, pipeline, producer, linkClicks, redis, admin, log, close };
}
