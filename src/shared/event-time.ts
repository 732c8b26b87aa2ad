/**
 * Event time (docs/ingest.md and docs/messages.md): a click cannot happen after it arrives. The record's
 * ts is the earlier of the client's ts (corrected by X-Sent-At) and the receive time, so no
 * client can move a watermark ahead of the ingest's clock and make other people's clicks late.
 */

/** More than this far in the future is a clock error or a forgery, not a click. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** The receive side of one request: when it arrived and how far the client's clock is off. */
export interface ReceiveClock {
  receivedAt: number;
  /** receivedAt - X-Sent-At when the header was given and within the horizon; 0 otherwise. */
  offsetMs: number;
  /** The dedup horizon: a click older than this cannot be deduplicated, so it is refused. */
  horizonMs: number;
}

/** The clock of a request, from its X-Sent-At header (epoch ms) if that is usable. */
export function receiveClock(receivedAt: number, sentAtHeader: string | undefined, horizonMs: number): ReceiveClock {
  const sentAt =
    sentAtHeader !== undefined && /^\d{1,16}$/.test(sentAtHeader.trim()) ? Number(sentAtHeader.trim()) : NaN;
  // A sent-at further off than the horizon is no clock skew anyone can correct: ignore it.
  const offsetMs = Number.isSafeInteger(sentAt) && Math.abs(receivedAt - sentAt) <= horizonMs ? receivedAt - sentAt : 0;
  return { receivedAt, offsetMs, horizonMs };
}

export type EventTime = { ok: true; ts: number } | { ok: false; error: string };

/** The event time of a client ts, or why the click is invalid; bounds apply after the correction. */
export function eventTimeOf(clientTs: number, clock: ReceiveClock): EventTime {
  const corrected = clientTs + clock.offsetMs;
  if (corrected > clock.receivedAt + MAX_FUTURE_SKEW_MS)
    return { ok: false, error: 'is more than 5 minutes in the future' };
  if (corrected < clock.receivedAt - clock.horizonMs)
    return { ok: false, error: 'too old (older than the dedup horizon)' };
  return { ok: true, ts: Math.min(corrected, clock.receivedAt) };
}
