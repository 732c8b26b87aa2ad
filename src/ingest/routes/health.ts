/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type { IngestMetrics } from '../metrics.ts';
import type { ReadinessCheck } from '../readiness.ts';
import { healthzSchema, metricsSchema, readyzSchema } from '../route-schemas.ts';

export function healthRoutes(app: FastifyInstance, deps: { readiness: ReadinessCheck; metrics: IngestMetrics }): void {
  app.get('/healthz', { schema: healthzSchema }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: readyzSchema }, async (_request, reply) => {
    const r = await deps.readiness();
    return reply.code(r.redis && r.kafka ? 200 : 503).send(r);
  });

  app.get('/metrics', { schema: metricsSchema }, async (_request, reply) => {
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
