/**
 * Rate limits of the stats API, on @fastify/rate-limit. A request with a valid API key spends
 * its key's budget only; any other request (no key, or one that is not valid) spends its
 * address's budget. So a flood without a key, from the same address as a dashboard, never
 * spends the dashboard key's budget, and a key's budget follows the key across addresses.
 * Over the limit: 429 with Retry-After.
 *
 * The counters live in the process. The API runs as one process per host and its state is a
 * few bytes per active client, so a shared store (Redis) would add a network round trip to
 * every request for nothing; several API processes behind a balancer would each allow the
 * limit, which the docs say (docs/security.md).
 */
import { createHash } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { presentedKey, type KeyVerifier } from './auth/authenticate.ts';

export interface BucketLimit {
  /** The sustained rate: requests per second over a window. */
  perSecond: number;
  /** How many requests may come at once: the window holds this many. */
  burst: number;
}

export interface RateLimits {
  perAddress: BucketLimit;
  perKey: BucketLimit;
}

// Past this many tracked clients the least recently seen is forgotten (its budget starts
// afresh): memory stays bounded under a flood of new addresses.
const MAX_TRACKED = 100_000;
// IPv6 clients get a /64 each (one subscriber's usual allocation): rotating addresses within
// it does not buy a new budget.
const IPV6_SUBNET = 64;

const KEY = 'key:';
const ADDRESS = 'address:';

/** `burst` requests per window of burst/perSecond seconds: perSecond sustained, burst at once. */
const windowMs = (limit: BucketLimit): number => Math.round((limit.burst / limit.perSecond) * 1000);

/** Whose budget a request spends: its key's if it presents a valid one, else its address's. */
async function budgetOf(request: FastifyRequest, verifyKey: KeyVerifier): Promise<string> {
  const presented = presentedKey(request.headers);
  if (presented.ok && (await verifyKey(presented.key)) !== undefined) {
    // A digest, not the key: the counters never hold a secret.
    return KEY + createHash('sha256').update(presented.key).digest('base64url');
  }
  return ADDRESS + normalizeIP(request.ip, IPV6_SUBNET);
}

/**
 * Registers the limits as the app's first onRequest hook: every route, the 404 included, and
 * before the /v1 key check answers, so a flood of bad keys is limited by address too.
 */
export function registerRateLimits(app: FastifyInstance, limits: RateLimits, verifyKey: KeyVerifier): void {
  void app.register(rateLimit, { global: false, cache: MAX_TRACKED });
  app.after(() => addLimitHook(app, limits, verifyKey));
}

function addLimitHook(app: FastifyInstance, limits: RateLimits, verifyKey: KeyVerifier): void {
  const limitOf = (budget: string): BucketLimit => (budget.startsWith(KEY) ? limits.perKey : limits.perAddress);
  // The builder of the 429 is not told the budget; it reads it here to say whose was spent.
  const budgets = new WeakMap<FastifyRequest, string>();
  app.addHook(
    'onRequest',
    app.rateLimit({
      keyGenerator: async (request) => {
        const budget = await budgetOf(request, verifyKey);
        budgets.set(request, budget);
        return budget;
      },
      max: async (_request, budget) => limitOf(budget).burst,
      timeWindow: async (_request, budget) => windowMs(limitOf(budget)),
      errorResponseBuilder: (request, context) => {
        const whose = budgets.get(request)?.startsWith(KEY) === true ? 'API key' : 'address';
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return Object.assign(new Error(`too many requests for this ${whose}; retry after ${seconds} s`), {
          statusCode: context.statusCode,
        });
      },
    }),
  );
}
