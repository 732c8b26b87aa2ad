/**
 * GET /v1/overview: everything one dashboard refresh shows, in one request: the top ads in the
 * key's scope with their minute buckets and rejected counts, and the late clicks of all ads in
 * scope. The page used to ask 2 + 2 x ads requests per refresh (12 for five ads), so two tabs on
 * one key ran into the per-key rate limit; the limit counts requests, so one request it is.
 * The queries are the same ones the single routes make.
 */
import type { FastifyInstance } from 'fastify';
import { adAccess } from '../auth/access.ts';
import { scopeOf } from '../auth/authenticate.ts';
import { overviewQuerySchema } from '../params.ts';
import { overviewSchema } from '../route-schemas.ts';
import type { StatsStore, TimeRange } from '../queries/stats-store.ts';
import { bucketJson } from './clicks.ts';
import { validQuery } from './guards.ts';

export function overviewRoute(app: FastifyInstance, store: StatsStore): void {
  app.get('/v1/overview', { schema: overviewSchema }, async (request, reply) => {
    const q = await validQuery(overviewQuerySchema, request, reply);
    if (q === undefined) return reply;
    const scope = scopeOf(request);
    const range: TimeRange = { fromMs: q.from, toMs: q.to };
    const [top, late] = await Promise.all([store.top(range, q.limit, scope), store.late(range, scope)]);
    // The same rule as the one-ad routes: an ad this key could not read alone is left out.
    const readable = await Promise.all(
      top.map(async (ad) => (await adAccess(scope, ad.ad_id, (c, id) => store.adInCampaigns(c, id))).ok),
    );
    const ads = await Promise.all(
      top
        .filter((_ad, i) => readable[i])
        .map(async (ad) => {
          const [buckets, rejected] = await Promise.all([
            store.clicks(ad.ad_id, 'minute', range),
            store.rejected(ad.ad_id, range),
          ]);
          return { ad_id: ad.ad_id, clicks: ad.clicks, buckets: buckets.map(bucketJson), rejected };
        }),
    );
    return { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString(), ads, late };
  });
}
