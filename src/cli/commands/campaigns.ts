/** `tollbooth campaigns set AD CAMPAIGN | unset AD | list`: which campaign each ad belongs to. */
import type { Config } from '../../shared/config.ts';
import { createRedis } from '../../shared/clients.ts';
import { Campaigns } from '../../dedup/campaigns.ts';
import { AD_ID, AD_ID_ALPHABET, ID_MAX_LENGTH } from '../../shared/ids.ts';

const USAGE =
  'usage: tollbooth campaigns set <ad_id> <campaign_id>\n       tollbooth campaigns unset <ad_id>\n       tollbooth campaigns list';
// The click contract's id alphabet: ad_id and campaign_id are the same kind of token.

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

export async function run(args: string[], config: Config): Promise<number> {
  const [action, ad, campaign, ...extra] = args;
  const shape =
    action === 'set'
      ? ad !== undefined && campaign !== undefined
      : action === 'unset'
        ? ad !== undefined && campaign === undefined
        : action === 'list' && ad === undefined;
  if (!shape || extra.length > 0) return fail(USAGE);
  for (const v of [ad, campaign])
    if (v !== undefined && !AD_ID.test(v)) return fail(`not an id (1-${ID_MAX_LENGTH} of ${AD_ID_ALPHABET}): ${v}`);
  const redis = createRedis(config);
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
