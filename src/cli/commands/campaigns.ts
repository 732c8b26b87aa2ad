/** `tollbooth campaigns set AD CAMPAIGN | unset AD | list`: which campaign each ad belongs to. */
import type { Config } from '../../shared/config.ts';
import { createRedisClient } from '../../shared/clients.ts';
import { Campaigns } from '../../dedup/campaigns.ts';
import { refuse, type Invocation } from '../args.ts';
import { AD_ID, AD_ID_ALPHABET, ID_MAX_LENGTH } from '../../shared/ids.ts';

// The click contract's id alphabet: ad_id and campaign_id are the same kind of token.

export async function run(inv: Invocation, config: Config): Promise<number> {
  const action = inv.path[1];
  const [ad, campaign] = inv.positionals;
  for (const v of [ad, campaign])
    if (v !== undefined && !AD_ID.test(v))
      return refuse(inv.path, `not an id (1-${ID_MAX_LENGTH} of ${AD_ID_ALPHABET}): ${v}`);
  const redis = createRedisClient(config);
  try {
    const campaigns = new Campaigns(redis, config.dedup.keyPrefix);
    if (action === 'list') {
      for (const [a, c] of await campaigns.list()) process.stdout.write(`${a}\t${c}\n`);
    } else if (action === 'set' && ad && campaign) {
      await campaigns.set(ad, campaign);
      process.stdout.write(`${ad}: campaign ${campaign}\n`);
    } else if (ad) {
      process.stdout.write(`${ad}: ${(await campaigns.unset(ad)) ? 'campaign removed' : 'had no campaign'}\n`);
    }
    return 0;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
