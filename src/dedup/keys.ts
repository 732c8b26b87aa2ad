/**
 * Redis key names, in one place so the Lua script, the blocklist CLI and the test cleanup agree.
 * Every key starts with config.dedup.keyPrefix.
 */
export type BlocklistKind = 'ip' | 'user';

export function blocklistKey(prefix: string, kind: BlocklistKind): string {
  return `${prefix}block:${kind}`;
}

/**
 * The keys verdicts.lua builds itself (documented here, built there):
 *   <prefix>v:<click_id>                                   first verdict, TTL verdictTtlSeconds
 *   <prefix>dup:<window>:<len(user_id)>:<user_id>:<ad_id>   accepted (user, ad) in a window
 *   <prefix>rate:<window>:<len(user_id)>:<user_id>:<ip>     accepted count of (user, ip) in a window
 * user_id may contain ':', so its length goes first to keep the names unambiguous.
 */
export function verdictKey(prefix: string, clickId: string): string {
  return `${prefix}v:${clickId}`;
}
