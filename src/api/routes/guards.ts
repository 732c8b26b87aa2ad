/**
 * The steps every stats route takes before it queries: validate the path and query (400 saying
 * which parameter and why), then, for one-ad routes, check the key's scope (403 saying why).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { adAccess } from '../auth/access.ts';
import { scopeOf } from '../auth/authenticate.ts';
import { adPathSchema, parseParams } from '../params.ts';
import type { StatsStore } from '../queries/stats-store.ts';

/** The validated query, or undefined after a 400 has been sent. */
export async function validQuery<S extends z.ZodTypeAny>(
  schema: S,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<z.output<S> | undefined> {
  const parsed = parseParams(schema, request.query);
  if (parsed.ok) return parsed.value;
  await reply.code(400).send(parsed.error);
  return undefined;
}

/** The path's ad id if it matches the click contract's pattern, or undefined after a 400. */
export async function validAdId(request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> {
  const parsed = parseParams(adPathSchema, request.params);
  if (parsed.ok) return parsed.value.ad_id;
  await reply.code(400).send(parsed.error);
  return undefined;
}

/** Whether the key's scope covers the ad; after a 403 saying why if not. Runs after validation, so bad input never costs a query. */
export async function mayReadAd(
  request: FastifyRequest,
  reply: FastifyReply,
  adId: string,
  store: StatsStore,
): Promise<boolean> {
  const access = await adAccess(scopeOf(request), adId, (campaigns, ad) => store.adInCampaigns(campaigns, ad));
  if (!access.ok) await reply.code(403).send({ error: access.reason });
  return access.ok;
}
