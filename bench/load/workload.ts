/**
 * The bench's click data: 100,000 users, 10,000 ads with Zipf-like popularity (a few ads take
 * most clicks, as on a real ad network), about 2% repeated clicks (the same user on the same ad
 * again, a new click_id) and about 1% of batches sent twice (a client that lost the reply).
 * Seeded, so every system of one run gets the same sequence of users and ads.
 */
import { seededRandom } from '../support/random.ts';

export interface WorkloadShape {
  users: number;
  ads: number;
  /** Zipf exponent of ad popularity: 1 gives the top ad about 10% of the clicks of 10,000 ads. */
  zipf: number;
  repeatShare: number;
  retryShare: number;
  batchSize: number;
}

export const DEFAULT_SHAPE: WorkloadShape = {
  users: 100_000,
  ads: 10_000,
  zipf: 1,
  repeatShare: 0.02,
  retryShare: 0.01,
  batchSize: 1000,
};

export interface BenchClick {
  click_id: string;
  ad_id: string;
  user_id: string;
  ts: number;
}

export interface Batch {
  clicks: BenchClick[];
  /** Sent again after its reply came back, with the same click_ids. */
  resend: boolean;
}

/** Cumulative Zipf weights over ranks 1..n, for sampling by binary search. */
export function zipfTable(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** s;
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] ?? 0) / sum;
  return cdf;
}

function sampleRank(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] ?? 1) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const adName = (rank: number): string => `ad-${rank}`;
export const userName = (i: number): string => `u-${i}`;

/** Makes batches one after another; `now` is read per batch, so ts is the send time. */
export class Workload {
  private readonly random: () => number;
  private readonly cdf: Float64Array;
  /** Recent (user, ad) pairs, for repeats: a repeat comes seconds after the click it repeats. */
  private readonly recent: Array<{ user_id: string; ad_id: string }> = [];
  private seq = 0;

  constructor(
    private readonly shape: WorkloadShape,
    seed: number,
    private readonly runId: string,
  ) {
    this.random = seededRandom(seed);
    this.cdf = zipfTable(shape.ads, shape.zipf);
  }

  next(now: number): Batch {
    const clicks: BenchClick[] = [];
    for (let i = 0; i < this.shape.batchSize; i++) clicks.push(this.click(now));
    return { clicks, resend: this.random() < this.shape.retryShare };
  }

  private click(now: number): BenchClick {
    const click_id = `${this.runId}-${(this.seq++).toString(36)}`;
    const recent =
      this.recent.length > 0 && this.random() < this.shape.repeatShare
        ? this.recent[Math.floor(this.random() * this.recent.length)]
        : undefined;
    const pair = recent ?? {
      user_id: userName(Math.floor(this.random() * this.shape.users)),
      ad_id: adName(sampleRank(this.cdf, this.random()) + 1),
    };
    // A ring of the last 1,000 pairs: repeats stay within the same minute most of the time.
    if (this.recent.length < 1000) this.recent.push(pair);
    else this.recent[this.seq % 1000] = pair;
    return { click_id, ad_id: pair.ad_id, user_id: pair.user_id, ts: now };
  }
}
