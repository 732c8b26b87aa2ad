/**
 * The verdicts of the contract, declared once. TypeScript, the message schema, the stats API,
 * the route schemas (OpenAPI) use these; the Redis script's and the dashboard's literals are
 * checked against them by tests (src/dedup/verdicts-lua.test.ts, src/api/dashboard/verdicts.test.ts).
 */

/** The verdicts that send a click to `clicks_rejected`, in rule order. */
export const REJECTED_VERDICTS = ['bot', 'blocked', 'duplicate', 'rate_limited'] as const;

/** Every verdict, in rule order: the first rule that matches decides. */
export const VERDICTS = ['invalid', ...REJECTED_VERDICTS, 'accepted'] as const;

export type Verdict = (typeof VERDICTS)[number];

/** The order in which the stats API's `/rejected` counts list them (the contract prints them so). */
export const REJECTED_COUNTS_ORDER = [
  'duplicate',
  'rate_limited',
  'bot',
  'blocked',
] as const satisfies readonly (typeof REJECTED_VERDICTS)[number][];

/** A verdict the store decides (invalid items never reach it). */
export type DecidedVerdict = Exclude<Verdict, 'invalid'>;

/** The verdicts that send a click to `clicks_rejected`. */
export type RejectedVerdict = (typeof REJECTED_VERDICTS)[number];

export function isDecidedVerdict(s: string): s is DecidedVerdict {
  return s !== 'invalid' && (VERDICTS as readonly string[]).includes(s);
}

/** JSON-schema forms for route schemas (OpenAPI is generated from them). */
export const verdictJsonSchema = { type: 'string', enum: VERDICTS } as const;
export const rejectedVerdictJsonSchema = { type: 'string', enum: REJECTED_VERDICTS } as const;
