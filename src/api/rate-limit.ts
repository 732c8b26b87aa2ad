/**
 * Rate limits of the stats API: one token bucket per client address (every route) and one per
 * API key (the /v1 routes, after authentication). Over the limit: 429 with Retry-After.
 *
 * The buckets live in the process. The API runs as one process per host and its state is a
 * few bytes per active client, so a shared store (Redis) would add a network round trip to
 * every request for nothing; several API processes behind a balancer would each allow the
 * limit, which the docs say (docs/security.md).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface BucketLimit {
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
  /** Bucket size: how many requests may come at once after a quiet spell. */
  burst: number;
}

export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

// Past this many tracked clients, full buckets (idle clients) are dropped: memory stays bounded
// under a flood of new addresses, and a dropped bucket would be full anyway.
const MAX_TRACKED = 100_000;

/** Token buckets by id; `now` is injectable for tests. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: BucketLimit,
    private readonly now: () => number = Date.now,
  ) {}

  take(id: string): Take {
    const now = this.now();
    const bucket = this.refilled(id, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond)) };
  }

  private refilled(id: string, now: number): Bucket {
    let bucket = this.buckets.get(id);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_TRACKED) this.dropFull(now);
      bucket = { tokens: this.limit.burst, at: now };
      this.buckets.set(id, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    return bucket;
  }

  private dropFull(now: number): void {
    for (const [id, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(id);
    }
    // Every client is active: forget the oldest half rather than grow without bound.
    if (this.buckets.size >= MAX_TRACKED) {
      let n = 0;
      for (const id of this.buckets.keys()) if (n++ < MAX_TRACKED / 2) this.buckets.delete(id);
    }
  }
}

export interface RateLimits {
  perAddress: BucketLimit;
  perKey: BucketLimit;
}

/** An onRequest hook: 429 with Retry-After when `idOf(request)`'s bucket is empty. */
export function rateLimitHook(
  buckets: TokenBuckets,
  idOf: (request: FastifyRequest) => string | undefined,
  what: string,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const id = idOf(request);
    if (id === undefined) return;
    const taken = buckets.take(id);
    if (taken.ok) return;
    await reply
      .code(429)
      .header('retry-after', String(taken.retryAfterSeconds))
      .send({ error: `too many requests for this ${what}; retry after ${taken.retryAfterSeconds} s` });
  };
}
