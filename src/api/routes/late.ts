/** GET /v1/late: late clicks per ad in the key's scope, by the clicks' own event time. */
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../auth/authenticate.ts';
import { lateQuerySchema } from '../params.ts';
import { lateSchema } from '../route-schemas.ts';
import type { StatsStore } from '../queries/stats-store.ts';
import { validQuery } from './guards.ts';

export function lateRoute(app: FastifyInstance, store: StatsStore): void {
  app.get('/v1/late', { schema: lateSchema }, async (request, reply) => {
    const q = await validQuery(lateQuerySchema, request, reply);
    if (q === undefined) return reply;
    return { ads: await store.late({ fromMs: q.from, toMs: q.to }, scopeOf(request)) };
  });
}
