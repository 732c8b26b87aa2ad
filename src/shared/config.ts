/**
 * The one place that reads the environment. Every setting has a default for local use,
 * can be overridden by a TOLLBOOTH_* variable, and is checked once, at start-up.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, describeConfigIssues, stateSecret } from './config-errors.ts';
import { configSchema as schema, type Config } from './config-schema.ts';
import { addressList, linkSecrets, list, natRanges } from './config-values.ts';
import { clickhouseReplicaSettings } from './config-replicas.ts';
import { redisClusterSettings } from './config-redis.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type { Config };

export { ConfigError };

type Env = Record<string, string | undefined>;

/** The process environment with some settings replaced: for tests and the child processes they start. */
export function environmentWith(overrides: Env): Env {
  return { ...process.env, ...overrides };
}

/** Builds the typed config from an environment (process.env by default). */
export function loadConfig(env: Env = process.env): Config {
  const e = (name: string, fallback: string): string => env[`TOLLBOOTH_${name}`] ?? fallback;
  const stackDir = path.resolve(repoRoot, e('STACK_DIR', '.stack'));
  const links = linkSecrets(env.TOLLBOOTH_LINK_SECRETS, stackDir);
  // One host for everything on one machine; in containers or a cluster each service has its own.
  const host = e('HOST', '127.0.0.1');
  const kafkaHost = e('KAFKA_HOST', host);
  const kafkaPort = e('KAFKA_PORT', '9092');
  const raw = {
    repoRoot,
    stackDir,
    // The versioned migrations; another folder only for tests that add migrations of their own.
    migrationsDir: path.resolve(repoRoot, e('MIGRATIONS_DIR', 'migrations')),
    host,
    bindHost: e('BIND_HOST', host),
    kafka: {
      host: kafkaHost,
      port: kafkaPort,
      // A cluster's brokers, each host:port: what clients and the Flink job bootstrap from.
      brokers: addressList('KAFKA_BROKERS', env.TOLLBOOTH_KAFKA_BROKERS, `${kafkaHost}:${kafkaPort}`),
      // One copy on one broker; a cluster sets 3 and 2: acks=all then waits for 2 copies.
      replicationFactor: e('KAFKA_REPLICATION_FACTOR', '1'),
      minInsyncReplicas: e('KAFKA_MIN_INSYNC_REPLICAS', '1'),
      controllerPort: e('KAFKA_CONTROLLER_PORT', '9093'),
      // Two partitions: enough to exercise per-partition watermarks on a 2-core machine.
      partitions: e('KAFKA_PARTITIONS', '2'),
      retentionHours: e('KAFKA_RETENTION_HOURS', '168'),
      topicPrefix: e('TOPIC_PREFIX', ''),
    },
    flink: {
      host: e('FLINK_HOST', host),
      gatewayHost: e('SQL_GATEWAY_HOST', host),
      dataDir: path.resolve(repoRoot, e('FLINK_DATA_DIR', path.join(stackDir, 'flink', 'data'))),
      restPort: e('FLINK_REST_PORT', '8081'),
      gatewayPort: e('SQL_GATEWAY_PORT', '8083'),
      rpcPort: e('FLINK_RPC_PORT', '6123'),
      // Each job takes one slot at parallelism 1; room for the pipeline's jobs plus tests.
      taskSlots: e('FLINK_TASK_SLOTS', '8'),
      // A few seconds: exactly-once sinks publish on checkpoint, so this bounds final latency.
      checkpointIntervalMs: e('CHECKPOINT_INTERVAL_MS', '1000'),
      // A job's parallelism: 1 on one machine, one per TaskManager (or more) in a cluster.
      parallelism: e('FLINK_PARALLELISM', '1'),
    },
    clickhouse: {
      host: e('CLICKHOUSE_HOST', host),
      httpPort: e('CLICKHOUSE_HTTP_PORT', '8123'),
      nativePort: e('CLICKHOUSE_NATIVE_PORT', '9000'),
      database: e('CLICKHOUSE_DATABASE', 'tollbooth'),
      readerUser: 'analyst',
      readerPassword: stateSecret(stackDir, 'clickhouse_reader_password', env.TOLLBOOTH_CLICKHOUSE_READER_PASSWORD),
      apiUser: 'api',
      apiPassword: stateSecret(stackDir, 'clickhouse_api_password', env.TOLLBOOTH_CLICKHOUSE_API_PASSWORD),
      writerUser: 'writer',
      writerPassword: stateSecret(stackDir, 'clickhouse_writer_password', env.TOLLBOOTH_CLICKHOUSE_WRITER_PASSWORD),
      defaultPassword: stateSecret(stackDir, 'clickhouse_default_password', env.TOLLBOOTH_CLICKHOUSE_DEFAULT_PASSWORD),
      // Replicas and ZooKeeper: none on one node (config-replicas.ts).
      ...clickhouseReplicaSettings(env),
    },
    redis: {
      host: e('REDIS_HOST', host),
      port: e('REDIS_PORT', '6379'),
      password: stateSecret(stackDir, 'redis_password', env.TOLLBOOTH_REDIS_PASSWORD),
      ...redisClusterSettings(env),
    },
    ingest: {
      port: e('INGEST_PORT', '8080'),
      maxClicksPerRequest: e('MAX_CLICKS_PER_REQUEST', '10000'),
      maxBodyBytes: e('MAX_BODY_BYTES', String(5 * 1024 * 1024)),
      // A browser or app sends a click or a handful; 100 leaves room for a page's worth of
      // retries, while a larger batch is a server's job and a server has a key.
      anonymousMaxClicksPerRequest: e('ANONYMOUS_MAX_CLICKS_PER_REQUEST', '100'),
      // 100 clicks at the contract's field limits fit in well under 256 KB.
      anonymousMaxBodyBytes: e('ANONYMOUS_MAX_BODY_BYTES', String(256 * 1024)),
      // About a dozen full 5 MB bodies at once: a fraction of the ingest's memory, far more
      // than keyed servers send at once, and what stops 40 slow 5 MB bodies pinning 200 MB.
      maxHeldBodyBytes: e('MAX_HELD_BODY_BYTES', String(64 * 1024 * 1024)),
      // 5 MB arrives in well under a second on any server link; 30 s covers a slow mobile
      // uplink for an anonymous 256 KB and frees a stalled sender's bytes.
      bodyTimeoutMs: e('BODY_TIMEOUT_MS', '30000'),
      trustedProxies: list(env.TOLLBOOTH_TRUSTED_PROXIES),
      linkSecrets: links,
      linkKeyId: e('LINK_KEY_ID', Object.keys(links)[0] ?? ''),
      // Keys the cookieless identity of link clicks: HMAC of (ip, user agent).
      linkUserSecret: stateSecret(stackDir, 'link_user_secret', env.TOLLBOOTH_LINK_USER_SECRET),
      // Once a second: windows close at most a second late when traffic is idle.
      heartbeatIntervalMs: e('HEARTBEAT_INTERVAL_MS', '1000'),
      spoolDir: path.resolve(repoRoot, e('SPOOL_DIR', path.join(stackDir, 'spool'))),
    },
    dedup: {
      // The dedup horizon, one hour: longer than any client's retries, so a retry always sees
      // its verdict. Verdict memory lasts this long (and the engine's memory of click_ids);
      // an older click cannot be deduplicated, so it is invalid ("too old").
      horizonSeconds: e('DEDUP_HORIZON_SECONDS', '3600'),
      rateLimitPerMinute: e('RATE_LIMIT_PER_MINUTE', '5'),
      // An anonymous caller may be anyone and claim any user: per address and minute of receive
      // time, 5 clicks on one ad (one person's rule 5) and 30 in all (a household or small
      // office clicking around); NAT ranges known to the operator get more.
      anon: {
        perAddressAd: e('ANON_RATE_PER_ADDRESS_AD', '5'),
        perAddress: e('ANON_RATE_PER_ADDRESS', '30'),
        natRanges: natRanges(env.TOLLBOOTH_ANON_NAT_RANGES),
      },
      windowMs: e('DEDUP_WINDOW_MS', '60000'),
      // Every Redis key the project writes starts with this, so tests can own a namespace.
      keyPrefix: e('REDIS_PREFIX', 'tb:'),
    },
    pipeline: { windowSeconds: e('WINDOW_SECONDS', '60'), graceMs: e('GRACE_MS', '2000') },
    // 90 s per service in CI: schemathesis's examples and coverage phases in full, then random
    // requests until the time is up; set lower (e.g. 20) for a quick local run.
    fuzz: { seconds: e('FUZZ_SECONDS', '60') },
    // A Kafka broker's loss in `npm test` (CI); `all` in test:cluster. KEEP=1 leaves
    // the test's cluster up to look into a failure.
    clusterTest: {
      // Not redis-master by default: its rejoin is unreliable (README, "Known limitations").
      faults: list(e('CLUSTER_FAULTS', 'kafka-2')),
      keep: env.TOLLBOOTH_CLUSTER_KEEP === '1',
    },
    api: {
      port: e('API_PORT', '8090'),
      pgPort: e('PG_PORT', '5433'),
      // Hashed API keys with their scopes, written by `tollbooth keys create`.
      keysFile: path.resolve(repoRoot, e('API_KEYS_FILE', path.join(stackDir, 'api-keys.json'))),
      rateLimits: {
        // Requests without a valid key, per client address: /docs and the dashboard loading
        // their files at once (about 10 each) from an office behind one NAT, health probes.
        perAddress: { perSecond: e('API_RATE_PER_ADDRESS', '50'), burst: e('API_BURST_PER_ADDRESS', '100') },
        // Requests with a valid key, per key (any address): a dashboard makes one request a
        // second, so five dashboards on one key take 5/s; the rest leaves room for a script
        // polling beside them and for a tab catching up, never a key hammering ClickHouse.
        perKey: { perSecond: e('API_RATE_PER_KEY', '20'), burst: e('API_BURST_PER_KEY', '60') },
      },
    },
    // The sink's /metrics and /healthz.
    sink: { port: e('SINK_PORT', '8091') },
    // Another tag keeps two checkouts on one Docker engine from running each other's images.
    images: { tag: e('IMAGE_TAG', 'latest') },
    // The supervisor's /metrics (its processes: up, restarts, memory). A supervisor with a topic
    // prefix (a test run's) needs a port of its own; without one it supervises without /metrics.
    supervisor: { metricsPort: e('SUPERVISOR_METRICS_PORT', '8092') },
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(describeConfigIssues(parsed.error.issues, raw, schema, (v) => env[v] !== undefined));
  }
  const { replicationFactor, minInsyncReplicas } = parsed.data.kafka;
  if (minInsyncReplicas > replicationFactor) {
    throw new ConfigError('TOLLBOOTH_KAFKA_MIN_INSYNC_REPLICAS must not exceed TOLLBOOTH_KAFKA_REPLICATION_FACTOR');
  }
  if (!(parsed.data.ingest.linkKeyId in parsed.data.ingest.linkSecrets)) {
    throw new ConfigError('TOLLBOOTH_LINK_KEY_ID names no key of TOLLBOOTH_LINK_SECRETS');
  }
  return parsed.data;
}
