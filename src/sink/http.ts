/** The sink's loopback HTTP face: `/metrics` (Prometheus) and `/healthz` (200 while writes succeed). */
import Fastify, { type FastifyInstance } from 'fastify';
import type { SinkMetrics } from './metrics.ts';

/** The app without a socket (tests inject into it). */
export function buildSinkHttp(metrics: SinkMetrics, healthy: () => boolean): FastifyInstance {
  // No request log: Prometheus scrapes every few seconds and a line each would be noise.
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.get('/healthz', async (_request, reply) => {
    const ok = healthy();
    return reply.code(ok ? 200 : 503).send({ ok });
  });
  return app;
}

export async function startSinkHttp(
  host: string,
  port: number,
  metrics: SinkMetrics,
  healthy: () => boolean,
): Promise<FastifyInstance> {
  const app = buildSinkHttp(metrics, healthy);
  await app.listen({ host, port });
  return app;
}
