/** GET /v1/ads/top: the ads in the key's scope with the most clicks in the range. */
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../auth/authenticate.ts';
import { topQuerySchema } from '../params.ts';
import { topSchema } from '../route-schemas.ts';
import type { StatsStore } from '../queries/stats-store.ts';
import { validQuery } from './guards.ts';

export function topRoute(app: FastifyInstance, store: StatsStore): void {
  app.get('/v1/ads/top', { schema: topSchema }, async (request, reply) => {
    const q = await validQuery(topQuerySchema, request, reply);
    if (q === undefined) return reply;
    return { ads: await store.top({ fromMs: q.from, toMs: q.to }, q.limit, scopeOf(request)) };
  });
}
