/**
 * Runs the ingest: reads config, builds the real dependencies, listens, and shuts down
 * gracefully on SIGTERM/SIGINT (stop accepting, finish in-flight batches, flush the
 * producer and the spool drain, then close the clients).
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../shared/config.ts';
import { gracefulStop } from '../shared/graceful-stop.ts';
import { partitionsOf } from '../shared/topics.ts';
import { buildApp } from './app.ts';
import { startHeartbeats } from './heartbeats.ts';
import { createIngestRuntime } from './runtime.ts';

// Long enough to finish a 10,000-click batch against slow dependencies; then exit regardless.
const SHUTDOWN_DEADLINE_MS = 15_000;

export interface RunningIngest {
  app: FastifyInstance;
  /** Resolves after a graceful shutdown. */
  closed: Promise<void>;
  stop(): Promise<void>;
}

export async function startIngest(config: Config, opts: { handleSignals?: boolean } = {}): Promise<RunningIngest> {
  const runtime = await createIngestRuntime(config, { defaultMetrics: true });
  const { log, pipeline } = runtime;
  const app = buildApp(runtime.appDeps);
  await app.listen({ host: config.bindHost, port: config.ingest.port });
  runtime.linkClicks.start();
  const heartbeats = startHeartbeats({
    producer: runtime.producer,
    topics: pipeline.topics,
    intervalMs: config.ingest.heartbeatIntervalMs,
    partitions: async () => partitionsOf(await runtime.admin(), pipeline.topics.clicks),
    // min(now, oldest in-flight receive time): never ahead of a batch still being written.
    now: () => pipeline.inFlight.heartbeatTime(Date.now()),
    log,
  });

  const { stop, closed } = gracefulStop({
    name: 'ingest',
    log,
    deadlineMs: SHUTDOWN_DEADLINE_MS,
    handleSignals: opts.handleSignals ?? true,
    steps: async () => {
      await app.close(); // stops accepting and waits for in-flight requests
      await heartbeats.stop();
      await runtime.close();
    },
  });
  log.info({ host: config.bindHost, port: config.ingest.port, topics: pipeline.topics }, 'ingest listening');
  return { app, closed, stop };
}
