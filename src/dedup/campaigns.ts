/**
 * Which campaign an ad belongs to, as the operator says (`tollbooth campaigns set`): a Redis
 * hash that verdicts.lua reads, so every click of the ad carries this campaign whatever the
 * click itself names.
 */
import type { Cluster, Redis } from 'ioredis';
import { campaignsKey } from './keys.ts';

export class Campaigns {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keyPrefix: string,
  ) {}

  async set(adId: string, campaignId: string): Promise<void> {
    await this.redis.hset(campaignsKey(this.keyPrefix), adId, campaignId);
  }

  /** Returns false if the ad had no campaign set. */
  async unset(adId: string): Promise<boolean> {
    return (await this.redis.hdel(campaignsKey(this.keyPrefix), adId)) === 1;
  }

  /** [ad_id, campaign_id] pairs, sorted by ad. */
  async list(): Promise<[string, string][]> {
    const all = await this.redis.hgetall(campaignsKey(this.keyPrefix));
    return Object.entries(all).sort(([a], [b]) => a.localeCompare(b));
  }
}
