/**
 * An error as the one line an operator reads: what went wrong and what to do. A dependency that
 * does not answer is named with its address; the stack is for --verbose.
 */
import type { Config } from '../shared/config.ts';

const SERVICES_UP = 'start the services with `tollbooth services up`';
const APPS_UP = 'start it with `tollbooth start` (or `tollbooth services up`, then the app)';

/** What listens on a port of this config, and how to start it. */
function serviceOn(config: Config, port: number): { name: string; todo: string } | undefined {
  const known: [number, string, string][] = [
    [config.kafka.port, 'Kafka', SERVICES_UP],
    [config.clickhouse.httpPort, 'ClickHouse', SERVICES_UP],
    [config.clickhouse.nativePort, 'ClickHouse', SERVICES_UP],
    [config.redis.port, 'Redis', SERVICES_UP],
    [config.flink.restPort, 'Flink (JobManager REST)', SERVICES_UP],
    [config.flink.gatewayPort, 'the Flink SQL gateway', SERVICES_UP],
    [config.ingest.port, 'the ingest', APPS_UP],
    [config.api.port, 'the stats API', APPS_UP],
    [config.sink.port, 'the sink', APPS_UP],
  ];
  const hit = known.find(([p]) => p === port);
  return hit === undefined ? undefined : { name: hit[1], todo: hit[2] };
}

/** The error and the errors it wraps (cause, AggregateError's errors, kafkajs's originalError). */
function chain(err: unknown, depth = 0): unknown[] {
  if (depth > 5 || typeof err !== 'object' || err === null) return [err];
  const e = err as { cause?: unknown; errors?: unknown; originalError?: unknown };
  const inner = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return [err, ...inner.filter((i) => i !== undefined).flatMap((i) => chain(i, depth + 1))];
}

const REFUSED = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH) ([\w.:[\]-]+):(\d+)/;

/** `connect ECONNREFUSED 127.0.0.1:8123` in any error of the chain, as its parts. */
function unreachable(errors: unknown[]): { code: string; host: string; port: number } | undefined {
  for (const e of errors) {
    const m = REFUSED.exec(e instanceof Error ? e.message : String(e));
    if (m?.[1] && m[2] && m[3]) return { code: m[1], host: m[2], port: Number(m[3]) };
  }
  return undefined;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

/** One line for any error; `config` is there once it was loaded, to name services by address. */
export function describeError(err: unknown, config: Config | undefined): string {
  const errors = chain(err);
  const at = unreachable(errors);
  if (at !== undefined) {
    const service = config === undefined ? undefined : serviceOn(config, at.port);
    const where = `${at.host}:${at.port} does not answer (connect ${at.code})`;
    if (service === undefined) return `${where}; is what should listen there running? \`tollbooth status\``;
    return `${service.name} at ${where}; ${service.todo}`;
  }
  // ioredis gives up on a command without saying where it tried to connect.
  if (config !== undefined && errors.some((e) => e instanceof Error && e.name === 'MaxRetriesPerRequestError'))
    return `Redis at ${config.redis.host}:${config.redis.port} does not answer; ${SERVICES_UP}`;
  return firstLine(err);
}
