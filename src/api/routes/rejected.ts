/** GET /v1/ads/{ad_id}/rejected: one ad's rejected clicks by verdict. */
import type { FastifyInstance } from 'fastify';
import { rejectedQuerySchema } from '../params.ts';
import { rejectedSchema } from '../route-schemas.ts';
import type { StatsStore } from '../queries/stats-store.ts';
import { mayReadAd, validAdId, validQuery } from './guards.ts';

export function rejectedRoute(app: FastifyInstance, store: StatsStore): void {
  app.get('/v1/ads/:ad_id/rejected', { schema: rejectedSchema }, async (request, reply) => {
    const adId = await validAdId(request, reply);
    if (adId === undefined) return reply;
    const q = await validQuery(rejectedQuerySchema, request, reply);
    if (q === undefined || !(await mayReadAd(request, reply, adId, store))) return reply;
    return { ad_id: adId, counts: await store.rejected(adId, { fromMs: q.from, toMs: q.to }) };
  });
}
