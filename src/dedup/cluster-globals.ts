/**
 * The global keys a cluster decision reads once per batch with plain commands: the blocklists
 * (sets) and the operator's campaigns (hash). Each lives in one slot; a phase is passed what it
 * needs. verdicts.lua reads them inside its one script; read per batch, every batch sees them as
 * they were when it began, as it does on one node.
 */
import type { Cluster } from 'ioredis';
import { blocklistKey, campaignsKey } from './keys.ts';
import type { PendingClick } from './store.ts';

export interface Globals {
  blockedIps: Set<string>;
  blockedUsers: Set<string>;
  campaigns: Map<string, string>;
}

export async function readGlobals(cluster: Cluster, p: string, batch: readonly PendingClick[]): Promise<Globals> {
  const [ipKey, userKey, campaignKey] = [blocklistKey(p, 'ip'), blocklistKey(p, 'user'), campaignsKey(p)];
  const [ipCount, userCount, campaignCount] = await Promise.all([
    cluster.scard(ipKey),
    cluster.scard(userKey),
    cluster.hlen(campaignKey),
  ]);
  const unique = (f: (p: PendingClick) => string) => [...new Set(batch.map(f))];
  const ips = unique((b) => b.click.ip);
  const users = unique((b) => b.click.user_id);
  const ads = unique((b) => b.click.ad_id);
  const [ipHits, userHits, campaigns] = await Promise.all([
    ipCount > 0 ? cluster.smismember(ipKey, ...ips) : [],
    userCount > 0 ? cluster.smismember(userKey, ...users) : [],
    campaignCount > 0 ? cluster.hmget(campaignKey, ...ads) : [],
  ]);
  return {
    blockedIps: new Set(ips.filter((_, i) => ipHits[i] === 1)),
    blockedUsers: new Set(users.filter((_, i) => userHits[i] === 1)),
    campaigns: new Map(ads.flatMap((ad, i) => (campaigns[i] ? [[ad, campaigns[i] as string]] : []))),
  };
}
