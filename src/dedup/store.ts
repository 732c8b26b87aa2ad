/**
 * Where verdicts are decided and remembered. Two implementations: `RedisVerdictStore` (one Lua
 * script per batch, atomic) and `MemoryVerdictStore` (unit tests). Both apply the contract's
 * rules 3-6 in order; rules 1-2 (schema, bot) are decided in TypeScript before the store.
 */
import type { Click } from '../shared/click.ts';
import type { DecidedVerdict } from '../shared/verdict.ts';
import type { AddressLimit } from './address.ts';
import type { SenderName } from './keys.ts';

/** A valid click on its way to the store, with what was decided before it. */
export interface PendingClick {
  click: Click;
  /** 'bot' when the user agent is a bot: the store records it as the click's first verdict. */
  pre: 'bot' | null;
  /** The UTC window of event time (ts div windowMs) that the duplicate rule counts in. */
  window: number;
  /**
   * The window rule 5 counts in: of event time for a keyed sender (a backlog keeps its
   * minutes), of receive time for an anonymous caller (back-dating opens no fresh minutes).
   */
  rateWindow: number;
  /** An anonymous caller's address group and limits; null for a keyed sender. */
  address: AddressLimit | null;
}

/** Which limit made a click rate_limited: (user, ip), (address, ad) or address. */
export type RateReason = 'user' | 'address_ad' | 'address';

/** A click whose Kafka write was acknowledged, named in its sender's namespace. */
export interface WrittenClick {
  sender: SenderName;
  clickId: string;
}

/** What the store decided for one click. */
export interface Decision {
  verdict: DecidedVerdict;
  /** The click's first event time: a resend carries this, not its own ts. */
  ts: number;
  /**
   * Write it to Kafka: true for a click seen for the first time, and for a resend of the same
   * click whose first write was never acknowledged; false otherwise (a resend with other
   * content is a `duplicate` produced nowhere).
   */
  produce: boolean;
  /** The operator's campaign for the ad when one is set, else the click's own. */
  campaignId: string | null;
  /** For a click first decided rate_limited now, the limit it hit; null otherwise. */
  reason: RateReason | null;
  /**
   * A resend of a click first decided before sender namespaces whose write was never
   * acknowledged: produced without a sender, as its first copy was (docs/messages.md).
   */
  unscoped?: boolean;
}

export interface VerdictStore {
  /**
   * Decides a batch in order, atomically, and returns one decision per item. A click_id seen
   * before with the same content (ad_id, user_id, client_ts) gets its first verdict back, with
   * no new side effects; with other content it is a duplicate. Rejects (throws) only on a
   * fault of the store itself, never because of a click.
   */
  decide(batch: readonly PendingClick[]): Promise<Decision[]>;
  /** Records that these clicks' Kafka writes were acknowledged, so resends are not produced again. */
  markWritten(clicks: readonly WrittenClick[]): Promise<void>;
}

/** The limits the rules apply (from config.dedup). */
export interface RuleLimits {
  /** Accepted clicks per (user_id, ip) per window before rate_limited. */
  ratePerWindow: number;
}

/** What the store remembers of a click_id, and for how long. */
export interface MemoryLimits extends RuleLimits {
  /** The dedup horizon: verdicts are remembered this long after the first decision. */
  horizonSeconds: number;
  /** The rule window in ms (duplicate and rate keys live horizon + one window). */
  windowMs: number;
}

/** The content a resend must repeat to be the same click: ad_id, user_id, client_ts. */
export function contentOf(click: Click): string {
  // Control characters are refused in every field, so '\n' cannot occur inside one.
  return `${click.ad_id}\n${click.user_id}\n${click.client_ts}`;
}
