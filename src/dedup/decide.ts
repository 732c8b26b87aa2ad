/**
 * Rule 2 (bot, by the isbot library) and the window of each click, then the store for rules
 * 3-6. The bot verdict goes into the store too, so a bot's click_id keeps its first verdict.
 */
import { isbot } from 'isbot';
import type { Click } from '../shared/click.ts';
import type { AddressLimit } from './address.ts';
import type { Decision, PendingClick, VerdictStore } from './store.ts';

// Real traffic has few distinct user agents and isbot's pattern costs microseconds per call
// (about 4% of ingest CPU under load); 10,000 agents of memo is a few MB at most.
const MAX_MEMO_AGENTS = 10_000;
const botMemo = new Map<string, boolean>();

/** isbot, memoised; the memo starts over when full (simpler than LRU, and just as good here). */
export function isBotAgent(userAgent: string): boolean {
  let bot = botMemo.get(userAgent);
  if (bot === undefined) {
    bot = isbot(userAgent);
    if (botMemo.size >= MAX_MEMO_AGENTS) botMemo.clear();
    botMemo.set(userAgent, bot);
  }
  return bot;
}

/** The UTC-aligned window of an event time: windows start at multiples of windowMs since the epoch. */
export function windowOf(ts: number, windowMs: number): number {
  return Math.floor(ts / windowMs);
}

/** How a batch's clicks are windowed and limited, besides their own fields. */
export interface Arrival {
  windowMs: number;
  /**
   * When the request arrived; null for clicks whose ts is their arrival (link clicks, spooled
   * or not: the server stamps them when they arrive).
   */
  receivedAt: number | null;
  /** An anonymous caller's address group and limits (address.ts). */
  addressLimit: (ip: string) => AddressLimit;
}

export function toPending(click: Click, arrival: Arrival): PendingClick {
  const window = windowOf(click.ts, arrival.windowMs);
  const anonymous = click.sender === null;
  return {
    click,
    pre: isBotAgent(click.user_agent) ? 'bot' : null,
    window,
    rateWindow: anonymous ? windowOf(arrival.receivedAt ?? click.ts, arrival.windowMs) : window,
    address: anonymous ? arrival.addressLimit(click.ip) : null,
  };
}

/** Decides valid clicks in order; one decision per click. */
export async function decideVerdicts(
  store: VerdictStore,
  clicks: readonly Click[],
  arrival: Arrival,
): Promise<Decision[]> {
  return store.decide(clicks.map((c) => toPending(c, arrival)));
}
