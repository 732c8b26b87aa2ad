/**
 * Rule 2 (bot, by the isbot library) and the window of each click, then the store for rules
 * 3-6. The bot verdict goes into the store too, so a bot's click_id keeps its first verdict.
 */
import { isbot } from 'isbot';
import type { Click } from '../shared/click.ts';
import type { DecidedVerdict } from '../shared/verdict.ts';
import type { PendingClick, VerdictStore } from './store.ts';

/** The UTC-aligned window of an event time: windows start at multiples of windowMs since the epoch. */
export function windowOf(ts: number, windowMs: number): number {
  return Math.floor(ts / windowMs);
}

export function toPending(click: Click, windowMs: number): PendingClick {
  return { click, pre: isbot(click.user_agent) ? 'bot' : null, window: windowOf(click.ts, windowMs) };
}

/** Decides valid clicks in order; one verdict per click. */
export async function decideVerdicts(store: VerdictStore, clicks: readonly Click[], windowMs: number): Promise<DecidedVerdict[]> {
  return store.decide(clicks.map((c) => toPending(c, windowMs)));
}
