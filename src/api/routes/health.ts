/** Liveness, readiness (can we reach ClickHouse?) and Prometheus metrics; open to all. */
import type { FastifyInstance } from 'fastify';
import type { ApiMetrics } from '../metrics.ts';
import { healthzSchema, metricsSchema, readyzSchema } from '../route-schemas.ts';

// A probe must answer before a load balancer's own timeout (commonly 1-5 s).
const PROBE_TIMEOUT_MS = 1500;

async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function healthRoutes(app: FastifyInstance, deps: { ping: () => Promise<void>; metrics: ApiMetrics }): void {
  app.get('/healthz', { schema: healthzSchema }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: readyzSchema }, async (_request, reply) => {
    const clickhouse = await within(deps.ping(), PROBE_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    return reply.code(clickhouse ? 200 : 503).send({ clickhouse });
  });

  app.get('/metrics', { schema: metricsSchema }, async (_request, reply) => {
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
