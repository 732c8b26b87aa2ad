/**
 * Client factories for Kafka and Redis, built from config. Timeouts are short on purpose:
 * the ingest answers 503 quickly when a dependency is down, and the client retries, rather
 * than holding requests open while a broker is unreachable.
 */
import { Kafka, logLevel, type Admin, type LogEntry, type Producer } from 'kafkajs';
import { Cluster, Redis } from 'ioredis';
import type { Config } from './config.ts';
import { logger } from './logger.ts';

/** Routes kafkajs logs into our logger; below WARN they are noise for an operator. */
function kafkaLogCreator() {
  const log = logger.child({ component: 'kafkajs' });
  return ({ level, namespace, log: entry }: LogEntry): void => {
    const { message, ...extra } = entry;
    if (level <= logLevel.ERROR) log.error({ namespace, ...extra }, message);
    else if (level === logLevel.WARN) log.warn({ namespace, ...extra }, message);
  };
}

/** The brokers a client bootstraps from: one on one machine, a cluster's list otherwise. */
export function brokerAddresses(config: Config): string[] {
  return config.kafka.brokers;
}

export function createKafka(config: Config, clientId = 'tollbooth'): Kafka {
  return new Kafka({
    clientId,
    brokers: brokerAddresses(config),
    // Loopback broker: a connect slower than 1 s means it is down, not slow.
    connectionTimeout: 1000,
    // acks=all on one node is milliseconds; 5 s covers a GC pause or a log roll, not an outage.
    requestTimeout: 5000,
    // Two quick retries ride out a leader move; beyond that the client gets a 503 and resends.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator,
  });
}

/**
 * The idempotent, acks=all producer. Retries are bounded (kafkajs warns that this weakens its
 * own exactly-once): a request must fail in seconds so the client can resend, and duplicates
 * that a resend causes collapse downstream on click_id.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    // Idempotence needs one request in flight per connection to keep sequence numbers in order.
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

const redisOptions = (config: Config) => ({
  password: config.redis.password,
  // Loopback: a connect slower than 1 s means Redis is down.
  connectTimeout: 1000,
  // One verdict script over 10,000 clicks runs in tens of ms; 2 s means Redis is stuck.
  commandTimeout: 2000,
  // Fail a command after one reconnect attempt, so requests get a 503 instead of waiting.
  maxRetriesPerRequest: 1,
});

/** Without a listener ioredis prints every failed reconnect; log the change of state once instead. */
function logOutages(redis: Redis | Cluster, what: string): void {
  const log = logger.child({ component: 'redis' });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ err: err.message }, `${what} unreachable; retrying`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info(`${what} reachable again`);
    down = false;
  });
}

export function createRedis(config: Config, opts: { lazy?: boolean } = {}): Redis {
  const redis = new Redis({
    ...redisOptions(config),
    host: config.redis.host,
    port: config.redis.port,
    lazyConnect: opts.lazy ?? false,
    // Reconnect quickly but never stop trying: Redis coming back must heal the ingest by itself.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  logOutages(redis, 'redis');
  return redis;
}

/**
 * A client of the Redis Cluster named by TOLLBOOTH_REDIS_CLUSTER (config.redis.cluster), with
 * the single node's password and timeouts on every node. The verdict store sends its phases to
 * the masters itself (src/dedup/cluster-calls.ts); plain commands go through the client.
 */
export function createRedisCluster(config: Config, opts: { lazy?: boolean } = {}): Cluster {
  const cluster = new Cluster(config.redis.cluster, {
    // A WAIT holds its command for up to its timeout: the client must wait longer than that.
    redisOptions: { ...redisOptions(config), commandTimeout: Math.max(2000, config.redis.waitTimeoutMs + 1000) },
    lazyConnect: opts.lazy ?? false,
    // Never stop trying to reach the seeds: the cluster coming back must heal the ingest by itself.
    clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
    // A failover is announced by MOVED and CLUSTERDOWN; follow it within about a second.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    slotsRefreshTimeout: 1000,
  });
  logOutages(cluster, 'redis cluster');
  return cluster;
}

/** Redis for plain commands (CLI, readiness): the cluster when seeds are set, else the one node. */
export function createRedisClient(config: Config, opts: { lazy?: boolean } = {}): Redis | Cluster {
  return config.redis.cluster.length > 0 ? createRedisCluster(config, opts) : createRedis(config, opts);
}

/** An admin client that connects on first use and again after a failed connect. */
export function lazyAdmin(admin: Admin): () => Promise<Admin> {
  let connected: Promise<Admin> | null = null;
  return () => {
    connected ??= admin.connect().then(
      () => admin,
      (err: unknown) => {
        connected = null;
        throw err;
      },
    );
    return connected;
  };
}
