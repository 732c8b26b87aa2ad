/**
 * Runs the stats API: reads config, builds the real dependencies (read-only ClickHouse user,
 * keys file), listens, and shuts down gracefully on SIGTERM/SIGINT.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../shared/config.ts';
import { gracefulStop } from '../shared/graceful-stop.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import { logger } from '../shared/logger.ts';
import { buildApp, type ApiDeps } from './app.ts';
import { cachedKeyVerifier } from './auth/keys-file.ts';
import { ApiMetrics, registerFinalWindowGauge } from './metrics.ts';
import { CLIENT_TIMEOUT_MS, clickhouseStats } from './queries/clickhouse-stats.ts';

// Requests finish within the query timeout; past this, exit regardless.
const SHUTDOWN_DEADLINE_MS = 10_000;

export interface RunningApi {
  app: FastifyInstance;
  closed: Promise<void>;
  stop(): Promise<void>;
}

/** The real dependencies from config; `close` releases the ClickHouse client. */
export function createApiDeps(
  config: Config,
  opts: { defaultMetrics?: boolean } = {},
): ApiDeps & { close(): Promise<void> } {
  const clickhouse = createClickHouse(config, { role: 'api', requestTimeoutMs: CLIENT_TIMEOUT_MS });
  const metrics = new ApiMetrics({ defaultMetrics: opts.defaultMetrics ?? false });
  // The running process also shows how far final counts are behind (tests leave it out). The
  // processes' gauges are the supervisor's (src/supervisor/metrics.ts): a served API reads no pid files.
  if (opts.defaultMetrics) registerFinalWindowGauge(metrics.registry, config, clickhouse);
  const store = clickhouseStats(
    clickhouse,
    { database: config.clickhouse.database, windowSeconds: config.pipeline.windowSeconds },
    metrics,
  );
  return {
    store,
    metrics,
    verifyKey: cachedKeyVerifier(config.api.keysFile),
    log: logger.child({ component: 'api' }),
    rateLimits: config.api.rateLimits,
    close: () => clickhouse.close(),
  };
}

export async function startApi(config: Config, opts: { handleSignals?: boolean } = {}): Promise<RunningApi> {
  const deps = createApiDeps(config, { defaultMetrics: true });
  const { log } = deps;
  const app = buildApp(deps);
  await app.listen({ host: config.bindHost, port: config.api.port });

  const { stop, closed } = gracefulStop({
    name: 'api',
    log,
    deadlineMs: SHUTDOWN_DEADLINE_MS,
    handleSignals: opts.handleSignals ?? true,
    steps: async () => {
      await app.close(); // stops accepting and waits for in-flight requests
      await deps.close();
    },
  });
  log.info({ host: config.bindHost, port: config.api.port, keysFile: config.api.keysFile }, 'stats api listening');
  return { app, closed, stop };
}
