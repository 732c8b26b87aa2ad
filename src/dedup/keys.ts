/**
 * Redis key names, in one place so the Lua scripts, the CLI and the test cleanup agree.
 * Every key starts with config.dedup.keyPrefix. Hash tags ({...}) put the keys of one phase of
 * a click's decision in one slot on Redis Cluster (docs/ingest.md): its verdict memory in the
 * slot of (sender, click_id), its duplicate and rate keys in the slot of (sender, user_id), and
 * an anonymous caller's address windows in the slot of its address group.
 *
 * Senders: click_ids and user_ids are scoped to the sender that sent them. A keyed sender's
 * namespace is `k<length>:<sender name>` (the length keeps a name holding ':' or '|'
 * unambiguous); anonymous callers share the namespace `anon`, which no sender name can make,
 * since every keyed namespace starts with `k` and a digit.
 */
export type BlocklistKind = 'ip' | 'user';

/** The sender of a click: an ingest key's sender name, or null for an anonymous caller. */
export type SenderName = string | null;

export function namespaceOf(sender: SenderName): string {
  return sender === null ? 'anon' : `k${sender.length}:${sender}`;
}

export function blocklistKey(prefix: string, kind: BlocklistKind): string {
  return `${prefix}block:${kind}`;
}

/** Hash of ad_id -> campaign_id set by the operator (`tollbooth campaigns set`). */
export function campaignsKey(prefix: string): string {
  return `${prefix}campaigns`;
}

/**
 * A click_id's memory in its sender's namespace:
 * "<acked 0|1>\n<verdict>\n<first ts>\n<ad_id>\n<user_id>\n<client_ts>". click_ids hold no '|'.
 */
export function verdictKey(prefix: string, sender: SenderName, clickId: string): string {
  return `${prefix}v:{${namespaceOf(sender)}|${clickId}}`;
}

/**
 * The unscoped memory written before senders existed: read (never written) for one horizon
 * after the upgrade, so a retry of a click decided before it stays a retry.
 */
export function legacyVerdictKey(prefix: string, clickId: string): string {
  return `${prefix}v:{${clickId}}`;
}

/** When the store first ran with sender namespaces (epoch ms): legacy reads end one horizon later. */
export function scopedSinceKey(prefix: string): string {
  return `${prefix}scoped-since`;
}

// user_id may contain ':', '|' and braces, so its length goes first to keep the names
// unambiguous; both keys of a user start with the same tag, so they share a slot.
const userTag = (sender: SenderName, userId: string) => `{${namespaceOf(sender)}|${userId.length}:${userId}}`;

/** Holds the click_id that claimed (user, ad, window of event time): rule 4, duplicate. */
export function duplicateKey(prefix: string, sender: SenderName, window: number, userId: string, adId: string): string {
  return `${prefix}dup:${userTag(sender, userId)}:${window}:${adId}`;
}

/**
 * The accepted click_ids of (user, ip, window), as "\nid1\nid2\n": rule 5, rate_limited. The
 * window is of event time for a keyed sender, of receive time for an anonymous caller.
 */
export function rateKey(prefix: string, sender: SenderName, window: number, userId: string, ip: string): string {
  return `${prefix}rate:${userTag(sender, userId)}:${window}:${ip}`;
}

/**
 * An anonymous caller's address windows (receive time), as rateKey's lists: all clicks of the
 * address group, and those on one ad. The group is an IPv4 address or an IPv6 /64 (address.ts).
 */
export function addressKey(prefix: string, group: string, window: number): string {
  return `${prefix}addr:{${group}}:${window}`;
}

export function addressAdKey(prefix: string, group: string, window: number, adId: string): string {
  return `${prefix}addr:{${group}}:${window}:${adId}`;
}
