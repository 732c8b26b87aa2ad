/**
 * Redis key names, in one place so the Lua scripts, the CLI and the test cleanup agree.
 * Every key starts with config.dedup.keyPrefix. Hash tags ({...}) put each click's verdict in
 * the slot of its click_id and each user's window keys in the slot of its user_id, so the keys
 * of one phase of a decision share a slot on Redis Cluster (docs/dedup.md).
 */
export type BlocklistKind = 'ip' | 'user';

export function blocklistKey(prefix: string, kind: BlocklistKind): string {
  return `${prefix}block:${kind}`;
}

/** Hash of ad_id -> campaign_id set by the operator (`tollbooth campaigns set`). */
export function campaignsKey(prefix: string): string {
  return `${prefix}campaigns`;
}

/** A click_id's memory: "<acked 0|1>\n<verdict>\n<first ts>\n<ad_id>\n<user_id>\n<client_ts>". */
export function verdictKey(prefix: string, clickId: string): string {
  return `${prefix}v:{${clickId}}`;
}

// user_id may contain ':' (and braces), so its length goes first to keep the names unambiguous;
// both keys of a user start with the same "{<len>:<user_id>", so they share a hash tag.
const userTag = (userId: string) => `{${userId.length}:${userId}}`;

/** Holds the click_id that claimed (user, ad, window): rule 4, duplicate. */
export function duplicateKey(prefix: string, window: number, userId: string, adId: string): string {
  return `${prefix}dup:${userTag(userId)}:${window}:${adId}`;
}

/** The accepted click_ids of (user, ip, window), as "\nid1\nid2\n": rule 5, rate_limited. */
export function rateKey(prefix: string, window: number, userId: string, ip: string): string {
  return `${prefix}rate:${userTag(userId)}:${window}:${ip}`;
}
