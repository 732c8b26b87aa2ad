/** GET /v1/ads/{ad_id}/clicks: one ad's clicks per minute or hour, final and provisional buckets marked, late clicks beside them. */
import type { FastifyInstance } from 'fastify';
import { clicksQuerySchema } from '../params.ts';
import { clicksSchema } from '../route-schemas.ts';
import type { Bucket, StatsStore } from '../queries/stats-store.ts';
import { mayReadAd, validAdId, validQuery } from './guards.ts';

/** A bucket as the API sends it: `start` as ISO-8601. */
export function bucketJson(b: Bucket): { start: string; clicks: number; final: boolean; late: number } {
  return { start: new Date(b.startMs).toISOString(), clicks: b.clicks, final: b.final, late: b.late };
}

export function clicksRoute(app: FastifyInstance, store: StatsStore): void {
  app.get('/v1/ads/:ad_id/clicks', { schema: clicksSchema }, async (request, reply) => {
    const adId = await validAdId(request, reply);
    if (adId === undefined) return reply;
    const q = await validQuery(clicksQuerySchema, request, reply);
    if (q === undefined || !(await mayReadAd(request, reply, adId, store))) return reply;
    const buckets = await store.clicks(adId, q.granularity, { fromMs: q.from, toMs: q.to });
    return {
      ad_id: adId,
      granularity: q.granularity,
      buckets: buckets.map(bucketJson),
      total: buckets.reduce((sum, b) => sum + b.clicks, 0),
      // Late clicks are billable too: a click counts once, on time or late (billing: total + late_total).
      late_total: buckets.reduce((sum, b) => sum + b.late, 0),
    };
  });
}
