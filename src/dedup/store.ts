/**
 * Where verdicts are decided and remembered. Two implementations: `RedisVerdictStore` (one Lua
 * script per batch, atomic) and `MemoryVerdictStore` (unit tests). Both apply the contract's
 * rules 3-6 in order; rules 1-2 (schema, bot) are decided in TypeScript before the store.
 */
import type { Click } from '../shared/click.ts';
import type { DecidedVerdict } from '../shared/verdict.ts';

/** A valid click on its way to the store, with what was decided before it. */
export interface PendingClick {
  click: Click;
  /** 'bot' when the user agent is a bot: the store records it as the click's first verdict. */
  pre: 'bot' | null;
  /** The UTC window of event time (ts div windowMs) that duplicate and rate rules count in. */
  window: number;
}

export interface VerdictStore {
  /**
   * Decides a batch in order, atomically, and returns one verdict per item. A click_id seen
   * before gets its first verdict back, with no new side effects. Rejects (throws) only on a
   * fault of the store itself, never because of a click.
   */
  decide(batch: readonly PendingClick[]): Promise<DecidedVerdict[]>;
}

/** The limits the rules apply (from config.dedup). */
export interface RuleLimits {
  /** Accepted clicks per (user_id, ip) per window before rate_limited. */
  ratePerWindow: number;
}
