/**
 * The shape of the typed config and the checks on each value: parsed once by loadConfig
 * (config.ts), the only place that reads the environment.
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const host = z.string().min(1);

export const configSchema = z.object({
  repoRoot: z.string(),
  stackDir: z.string(),
  migrationsDir: z.string(),
  /** Where servers connect by default; each service's own host below defaults to it. */
  host,
  /** Where Tollbooth's own servers listen (ingest, api, pg, sink, supervisor metrics). */
  bindHost: host,
  kafka: z.object({
    host,
    port,
    controllerPort: port,
    brokers: z.array(z.string()).min(1),
    replicationFactor: positiveInt,
    minInsyncReplicas: positiveInt,
    partitions: positiveInt,
    retentionHours: positiveInt,
    topicPrefix: z.string(),
  }),
  flink: z.object({
    /** The JobManager (REST and RPC). */
    host,
    gatewayHost: host,
    /** Where Flink keeps checkpoints and savepoints, as this process sees it (jobs ensure reads it). */
    dataDir: z.string().min(1),
    restPort: port,
    gatewayPort: port,
    rpcPort: port,
    taskSlots: positiveInt,
    checkpointIntervalMs: positiveInt,
    parallelism: positiveInt,
  }),
  clickhouse: z.object({
    host,
    httpPort: port,
    nativePort: port,
    database: z.string().regex(/^[a-z_][a-z0-9_]*$/),
    /** The analysts' user (Postgres-wire endpoint): readonly=1, limits in its profile. */
    readerUser: z.string().min(1),
    readerPassword: z.string().min(16),
    /** The stats API's user: readonly=1, tighter limits in its profile. */
    apiUser: z.string().min(1),
    apiPassword: z.string().min(16),
    /** The writer: sink, migrations, replay (DDL and inserts). */
    writerUser: z.string().min(1),
    writerPassword: z.string().min(16),
    /** ClickHouse's built-in `default` user: nothing of ours uses it, so it only gets a password. */
    defaultPassword: z.string().min(16),
    /** Replicated tables: the replicas' HTTP addresses and ZooKeeper's; both empty on one node. */
    replicas: z.array(z.string()),
    zookeeper: z.array(z.string()),
  }),
  redis: z.object({
    host,
    port,
    password: z.string().min(16),
    /** Redis Cluster seeds (config-redis.ts); empty: the one node at host:port. */
    cluster: z.array(z.object({ host, port })),
    /** On the cluster: replicas that must acknowledge a verdict's writes (WAIT), and for how long. */
    waitReplicas: z.coerce.number().int().min(0),
    waitTimeoutMs: positiveInt,
  }),
  ingest: z.object({
    port,
    maxClicksPerRequest: positiveInt,
    maxBodyBytes: positiveInt,
    /** Anonymous callers' limits (never above the keyed ones: the lower of the two applies). */
    anonymousMaxClicksPerRequest: positiveInt,
    anonymousMaxBodyBytes: positiveInt,
    /** The body bytes all requests may hold at once; over it a request gets 503. */
    maxHeldBodyBytes: positiveInt,
    /** A body must arrive within this many ms of the request, else 408. */
    bodyTimeoutMs: positiveInt,
    trustedProxies: z.array(z.string()),
    linkSecrets: z.record(z.string(), z.string().min(16)),
    linkKeyId: z.string().min(1),
    linkUserSecret: z.string().min(16),
    heartbeatIntervalMs: positiveInt,
    spoolDir: z.string(),
  }),
  dedup: z.object({
    horizonSeconds: positiveInt,
    rateLimitPerMinute: positiveInt,
    anon: z.object({
      perAddressAd: positiveInt,
      perAddress: positiveInt,
      natRanges: z.array(z.object({ cidr: z.string(), perAddress: positiveInt })),
    }),
    windowMs: positiveInt,
    // Braces would change the Redis Cluster hash tags of every key (src/dedup/keys.ts).
    keyPrefix: z
      .string()
      .min(1)
      .regex(/^[^{}]*$/, 'must not contain { or }'),
  }),
  pipeline: z.object({ windowSeconds: positiveInt, graceMs: z.coerce.number().int().min(0) }),
  /** Test settings: how long the fuzz test (test/fuzz/) runs schemathesis against each service. */
  fuzz: z.object({ seconds: positiveInt }),
  /** Test settings of test/cluster/: the machine-loss faults to run, and whether to leave the cluster up. */
  clusterTest: z.object({ faults: z.array(z.string()), keep: z.boolean() }),
  api: z.object({
    port,
    pgPort: port,
    keysFile: z.string().min(1),
    rateLimits: z.object({
      perAddress: z.object({ perSecond: z.coerce.number().positive(), burst: positiveInt }),
      perKey: z.object({ perSecond: z.coerce.number().positive(), burst: positiveInt }),
    }),
  }),
  sink: z.object({ port }),
  /** The tag `images build` gives the images and the compose files run (a Docker tag). */
  images: z.object({ tag: z.string().regex(/^\w[\w.-]{0,127}$/, 'must be a Docker tag') }),
  supervisor: z.object({ metricsPort: port }),
});

export type Config = z.infer<typeof configSchema>;
