/**
 * May a key read one ad? Prefix scopes decide from the ad id alone; campaign scopes ask the
 * store which campaigns the ad's clicks name (see `StatsStore.adInCampaigns` for the rule).
 */
import { describeScope, matchesPrefixes, type Scope } from './scope.ts';

export type Access = { ok: true } | { ok: false; reason: string };

/** Answers whether every recorded click of the ad names one of these campaigns. */
export type CampaignOwnership = (campaigns: readonly string[], adId: string) => Promise<boolean>;

export async function adAccess(scope: Scope, adId: string, inCampaigns: CampaignOwnership): Promise<Access> {
  const denied = (): Access => ({
    ok: false,
    reason: `ad "${adId}" is outside this key's scope (${describeScope(scope)})`,
  });
  switch (scope.kind) {
    case 'all':
      return { ok: true };
    case 'ad_prefixes':
      return matchesPrefixes(scope.prefixes, adId) ? { ok: true } : denied();
    case 'campaigns':
      return (await inCampaigns(scope.campaigns, adId)) ? { ok: true } : denied();
  }
}
