/**
 * Config errors in the operator's words: the environment variable that holds the setting, what
 * it should be, and (for anything but a secret) what it was.
 */
import path from 'node:path';
import { z } from 'zod';
import { SecretError, secretsDir, stateSecret as readStateSecret, type SecretName } from './secrets.ts';

/** A bad setting: names the variable and says what is wrong with it. */
export class ConfigError extends Error {}

/** A secret as secrets.ts gives it; a bad one is a ConfigError naming its variable or its file. */
export function stateSecret(stackDir: string, name: SecretName, operatorValue?: string): string {
  try {
    return readStateSecret(stackDir, name, operatorValue);
  } catch (err) {
    if (!(err instanceof SecretError)) throw err;
    const from = operatorValue ? `TOLLBOOTH_${name.toUpperCase()}` : path.join(secretsDir(stackDir), name);
    throw new ConfigError(`${from}: ${err.message.replace(/^secret \S+: /, '')}`);
  }
}

/** The variable (after `TOLLBOOTH_`) behind each setting of the config, by its path. */
export const VARIABLES: Record<string, string> = {
  stackDir: 'STACK_DIR',
  migrationsDir: 'MIGRATIONS_DIR',
  host: 'HOST',
  bindHost: 'BIND_HOST',
  'kafka.host': 'KAFKA_HOST',
  'flink.host': 'FLINK_HOST',
  'flink.gatewayHost': 'SQL_GATEWAY_HOST',
  'flink.dataDir': 'FLINK_DATA_DIR',
  'clickhouse.host': 'CLICKHOUSE_HOST',
  'redis.host': 'REDIS_HOST',
  'kafka.port': 'KAFKA_PORT',
  'kafka.controllerPort': 'KAFKA_CONTROLLER_PORT',
  'kafka.brokers': 'KAFKA_BROKERS',
  'kafka.replicationFactor': 'KAFKA_REPLICATION_FACTOR',
  'kafka.minInsyncReplicas': 'KAFKA_MIN_INSYNC_REPLICAS',
  'kafka.partitions': 'KAFKA_PARTITIONS',
  'kafka.retentionHours': 'KAFKA_RETENTION_HOURS',
  'kafka.topicPrefix': 'TOPIC_PREFIX',
  'flink.restPort': 'FLINK_REST_PORT',
  'flink.gatewayPort': 'SQL_GATEWAY_PORT',
  'flink.rpcPort': 'FLINK_RPC_PORT',
  'flink.taskSlots': 'FLINK_TASK_SLOTS',
  'flink.checkpointIntervalMs': 'CHECKPOINT_INTERVAL_MS',
  'flink.parallelism': 'FLINK_PARALLELISM',
  'images.tag': 'IMAGE_TAG',
  'clusterTest.faults': 'CLUSTER_FAULTS',
  'clusterTest.keep': 'CLUSTER_KEEP',
  'clickhouse.httpPort': 'CLICKHOUSE_HTTP_PORT',
  'clickhouse.nativePort': 'CLICKHOUSE_NATIVE_PORT',
  'clickhouse.database': 'CLICKHOUSE_DATABASE',
  'clickhouse.readerPassword': 'CLICKHOUSE_READER_PASSWORD',
  'clickhouse.apiPassword': 'CLICKHOUSE_API_PASSWORD',
  'clickhouse.writerPassword': 'CLICKHOUSE_WRITER_PASSWORD',
  'clickhouse.defaultPassword': 'CLICKHOUSE_DEFAULT_PASSWORD',
  'clickhouse.replicas': 'CLICKHOUSE_REPLICAS',
  'clickhouse.zookeeper': 'ZOOKEEPER',
  'redis.port': 'REDIS_PORT',
  'redis.password': 'REDIS_PASSWORD',
  'redis.cluster': 'REDIS_CLUSTER',
  'redis.waitReplicas': 'REDIS_WAIT_REPLICAS',
  'redis.waitTimeoutMs': 'REDIS_WAIT_TIMEOUT_MS',
  'ingest.port': 'INGEST_PORT',
  'ingest.maxClicksPerRequest': 'MAX_CLICKS_PER_REQUEST',
  'ingest.maxBodyBytes': 'MAX_BODY_BYTES',
  'ingest.anonymousMaxClicksPerRequest': 'ANONYMOUS_MAX_CLICKS_PER_REQUEST',
  'ingest.anonymousMaxBodyBytes': 'ANONYMOUS_MAX_BODY_BYTES',
  'ingest.maxHeldBodyBytes': 'MAX_HELD_BODY_BYTES',
  'ingest.bodyTimeoutMs': 'BODY_TIMEOUT_MS',
  'ingest.trustedProxies': 'TRUSTED_PROXIES',
  'ingest.linkSecrets': 'LINK_SECRETS',
  'ingest.linkKeyId': 'LINK_KEY_ID',
  'ingest.linkUserSecret': 'LINK_USER_SECRET',
  'ingest.heartbeatIntervalMs': 'HEARTBEAT_INTERVAL_MS',
  'ingest.spoolDir': 'SPOOL_DIR',
  'dedup.horizonSeconds': 'DEDUP_HORIZON_SECONDS',
  'dedup.rateLimitPerMinute': 'RATE_LIMIT_PER_MINUTE',
  'dedup.anon.perAddressAd': 'ANON_RATE_PER_ADDRESS_AD',
  'dedup.anon.perAddress': 'ANON_RATE_PER_ADDRESS',
  'dedup.anon.natRanges': 'ANON_NAT_RANGES',
  'dedup.windowMs': 'DEDUP_WINDOW_MS',
  'dedup.keyPrefix': 'REDIS_PREFIX',
  'pipeline.windowSeconds': 'WINDOW_SECONDS',
  'pipeline.graceMs': 'GRACE_MS',
  'fuzz.seconds': 'FUZZ_SECONDS',
  'api.port': 'API_PORT',
  'api.pgPort': 'PG_PORT',
  'api.keysFile': 'API_KEYS_FILE',
  'api.rateLimits.perAddress.perSecond': 'API_RATE_PER_ADDRESS',
  'api.rateLimits.perAddress.burst': 'API_BURST_PER_ADDRESS',
  'api.rateLimits.perKey.perSecond': 'API_RATE_PER_KEY',
  'api.rateLimits.perKey.burst': 'API_BURST_PER_KEY',
  'sink.port': 'SINK_PORT',
  'supervisor.metricsPort': 'SUPERVISOR_METRICS_PORT',
};

/** The variable of a setting; its config path when it has none (a value the code sets). */
export function variableOf(path: string): string {
  const name = VARIABLES[path];
  return name === undefined ? path : `TOLLBOOTH_${name}`;
}

function nodeAt(schema: z.ZodTypeAny, path: (string | number)[]): z.ZodTypeAny | undefined {
  let node: z.ZodTypeAny | undefined = schema;
  for (const key of path)
    node = node instanceof z.ZodObject ? (node.shape as Record<string, z.ZodTypeAny>)[key] : undefined;
  return node;
}

function valueAt(raw: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
    raw,
  );
}

/** What a number setting must be, from its schema: `a whole number above 0`. */
function expectedNumber(node: z.ZodNumber, key: string): string {
  if (/port$/i.test(key)) return 'a port number (1-65535)';
  const checks = node._def.checks;
  const noun = checks.some((c) => c.kind === 'int') ? 'a whole number' : 'a number';
  const min = checks.find((c) => c.kind === 'min');
  if (min?.kind !== 'min') return noun;
  return min.inclusive ? `${noun} of ${min.value} or more` : `${noun} above ${min.value}`;
}

function describeIssue(issue: z.ZodIssue, raw: unknown, schema: z.ZodTypeAny): string {
  const variable = variableOf(issue.path.join('.'));
  const node = nodeAt(schema, issue.path);
  const key = String(issue.path[issue.path.length - 1] ?? '');
  // A secret's value is never printed, not even a wrong one.
  const got = /password|secret/i.test(key) ? '' : `, got '${String(valueAt(raw, issue.path))}'`;
  if (node instanceof z.ZodNumber) return `${variable}: expected ${expectedNumber(node, key)}${got}`;
  if (issue.code === 'too_small' && issue.type === 'string')
    return `${variable}: at least ${issue.minimum} ${issue.minimum === 1 ? 'character is' : 'characters are'} required${got}`;
  if (issue.code === 'invalid_string' && issue.validation === 'regex' && issue.message === 'Invalid') {
    const pattern = node instanceof z.ZodString ? node._def.checks.find((c) => c.kind === 'regex') : undefined;
    return `${variable}: expected to match ${pattern?.kind === 'regex' ? String(pattern.regex) : 'its pattern'}${got}`;
  }
  return `${variable}: ${issue.message}${got}`;
}

/**
 * The failed checks of a config as one line, each naming its variable. A setting the
 * environment leaves unset takes its default from another (each service's host from
 * TOLLBOOTH_HOST): its failure is that other one's, named once, unless nothing else failed.
 */
export function describeConfigIssues(
  issues: z.ZodIssue[],
  raw: unknown,
  schema: z.ZodTypeAny,
  isSet: (variable: string) => boolean = () => true,
): string {
  const named = issues.filter((i) => isSet(variableOf(i.path.join('.'))));
  return (named.length > 0 ? named : issues).map((i) => describeIssue(i, raw, schema)).join('; ');
}
