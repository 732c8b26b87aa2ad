/** The verdicts of the contract, in rule order: the first rule that matches decides. */
export const VERDICTS = ['invalid', 'bot', 'blocked', 'duplicate', 'rate_limited', 'accepted'] as const;

export type Verdict = (typeof VERDICTS)[number];

/** A verdict the store decides (invalid items never reach it). */
export type DecidedVerdict = Exclude<Verdict, 'invalid'>;

/** The verdicts that send a click to `clicks_rejected`. */
export type RejectedVerdict = Exclude<DecidedVerdict, 'accepted'>;

export function isDecidedVerdict(s: string): s is DecidedVerdict {
  return s !== 'invalid' && (VERDICTS as readonly string[]).includes(s);
}
