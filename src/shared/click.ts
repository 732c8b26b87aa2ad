/**
 * The click contract (docs/ingest.md and docs/messages.md): the zod schema, the types derived from it,
 * and `validateClick`, which turns one untrusted item into a typed outcome and never throws.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { eventTimeOf, type ReceiveClock } from './event-time.ts';
import { parseIsoWithZone } from './iso-time.ts';
import { normalizeIp } from './ip.ts';
import { idProblem, isCleanId, isCleanText, textProblem } from './text.ts';
import {
  AD_ID,
  AD_ID_ALPHABET,
  AD_ID_CHARS,
  CLICK_ID,
  CLICK_ID_ALPHABET,
  CLICK_ID_CHARS,
  ID_MAX_LENGTH,
} from './ids.ts';

export { isCleanText, parseIsoWithZone };

/** A zod refinement from a rule that says why a string fails it. */
const explained = (problem: (s: string) => string | null) => (s: string, ctx: z.RefinementCtx) => {
  const why = problem(s);
  if (why !== null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: why });
};
// An id is taken in NFC (a decomposed é is the same user as a composed one), then checked.
const id = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC'))
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .superRefine(explained(idProblem)),
    );
const token = (max: number, pattern: RegExp, allowed: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(pattern, `may only contain ${allowed}`);

const eventTime = z.union(
  [
    z
      .number()
      .int('must be an integer (epoch ms)')
      .nonnegative('must not be negative')
      .max(Number.MAX_SAFE_INTEGER, 'is out of range'),
    z
      .string()
      .max(40, 'must be at most 40 characters')
      .transform((s, ctx) => {
        const t = parseIsoWithZone(s);
        if (t === null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be ISO-8601 with a zone' });
        return t ?? 0;
      }),
  ],
  { errorMap: () => ({ message: 'must be epoch ms (integer) or ISO-8601 with a zone' }) },
);

/** Longest user agent a click keeps; a longer request header is cut, not trusted as is. */
export const MAX_USER_AGENT = 1024;

const campaignId = token(ID_MAX_LENGTH, AD_ID_CHARS, AD_ID_ALPHABET);

/** A click as a client may send it (before defaults). */
export const rawClickSchema = z.object(
  {
    click_id: token(ID_MAX_LENGTH, CLICK_ID_CHARS, CLICK_ID_ALPHABET),
    ad_id: token(ID_MAX_LENGTH, AD_ID_CHARS, AD_ID_ALPHABET),
    user_id: id(128),
    ts: eventTime,
    ip: z
      .string()
      .max(45, 'must be at most 45 characters')
      .refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address')
      .optional(),
    // Empty is allowed: a request without a User-Agent header has an empty one.
    user_agent: z
      .string()
      .max(MAX_USER_AGENT, `must be at most ${MAX_USER_AGENT} characters`)
      .superRefine(explained(textProblem))
      .optional(),
    campaign_id: campaignId.nullable().optional(),
  },
  { invalid_type_error: 'must be a JSON object' },
);

/** A valid click with its defaults filled in and ts as epoch ms: what the rest of the system sees. */
export const clickSchema = z.object({
  click_id: z.string(),
  ad_id: z.string(),
  user_id: z.string(),
  /** Event time: the earlier of the (X-Sent-At corrected) client ts and the receive time. */
  ts: z.number().int(),
  /** The ts as the client sent it (epoch ms), before any correction. */
  client_ts: z.number().int(),
  ip: z.string(),
  user_agent: z.string(),
  campaign_id: z.string().nullable(),
  /**
   * Whose namespace the click_id and user_id live in: the keyed sender's stable name, or null
   * for an anonymous caller (they share one namespace). Optional only until every place that
   * builds a click names it; absent means anonymous.
   */
  sender: z.string().nullable().optional(),
});

/**
 * A click in flight. `sender` is the namespace of its click_id and user_id: the ingest key's
 * sender, or null for an anonymous caller (docs/ingest.md, "Who sends a click").
 */
export type Click = z.infer<typeof clickSchema> & { sender: string | null };

/** What the request supplies: its identity, and whether the caller may speak for its users. */
export interface ClickContext {
  /** The peer address (X-Forwarded-For only from trusted proxies). */
  ip: string;
  /** The request's User-Agent header ('' when absent). */
  userAgent: string;
  /** isCleanText(userAgent), when the caller checked it once for the whole request. */
  userAgentClean?: boolean;
  /** True for a caller with an ingest key: only then are the body's ip, user_agent, campaign_id honoured. */
  trusted: boolean;
  /** The only campaigns a trusted caller's clicks may name (its key's list); undefined: any. */
  campaigns?: readonly string[] | undefined;
  /** The caller's sender (its namespace of ids); null for an anonymous caller. */
  sender: string | null;
  clock: ReceiveClock;
}

export type ClickOutcome = { ok: true; click: Click } | { ok: false; error: string };

type RawClick = z.infer<typeof rawClickSchema>;

const optionalString = (v: unknown, max: number): v is string | undefined =>
  v === undefined || (typeof v === 'string' && v.length <= max);

/**
 * The common case without zod, which cost about a tenth of the ingest's CPU per click: a
 * well-formed item as rawClickSchema would parse it, or null for anything the schema might
 * refuse (then the schema decides, so an error reads exactly as the schema words it).
 * It accepts a subset of what the schema accepts; click.test.ts checks the two agree.
 */
export function parseRawClickFast(raw: unknown): RawClick | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const { click_id, ad_id, user_id, ts, ip, user_agent, campaign_id } = raw as Record<string, unknown>;
  if (typeof click_id !== 'string' || !CLICK_ID.test(click_id)) return null;
  if (typeof ad_id !== 'string' || !AD_ID.test(ad_id)) return null;
  if (typeof user_id !== 'string' || user_id.length === 0 || user_id.length > 128 || !isCleanId(user_id)) return null;
  const t =
    typeof ts === 'number'
      ? Number.isSafeInteger(ts) && ts >= 0
        ? ts
        : null
      : typeof ts === 'string' && ts.length <= 40
        ? parseIsoWithZone(ts)
        : null;
  if (t === null) return null;
  if (!optionalString(ip, 45) || (ip !== undefined && isIP(ip) === 0)) return null;
  if (!optionalString(user_agent, MAX_USER_AGENT) || (user_agent !== undefined && !isCleanText(user_agent)))
    return null;
  if (
    campaign_id !== undefined &&
    campaign_id !== null &&
    (typeof campaign_id !== 'string' || !AD_ID.test(campaign_id))
  )
    return null;
  return { click_id, ad_id, user_id, ts: t, ip, user_agent, campaign_id };
}

/** Validates one untrusted item. The error names the first bad field and why ("ts: ..."). */
export function validateClick(raw: unknown, context: ClickContext): ClickOutcome {
  let c = parseRawClickFast(raw);
  if (c === null) {
    const parsed = rawClickSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path[0] ?? 'click';
      return { ok: false, error: `${String(field)}: ${issue?.message ?? 'is invalid'}` };
    }
    c = parsed.data;
  }
  const time = eventTimeOf(c.ts, context.clock);
  if (!time.ok) return { ok: false, error: `ts: ${time.error}` };
  const fromBody = context.trusted && c.user_agent !== undefined;
  const userAgent = fromBody ? (c.user_agent ?? '') : context.userAgent;
  // The header is as untrusted as the body (which the schema has checked): the same rule applies to it.
  if (!fromBody && !(context.userAgentClean ?? isCleanText(userAgent))) {
    return { ok: false, error: 'user_agent: must be well-formed Unicode without control characters' };
  }
  const campaignId = context.trusted ? (c.campaign_id ?? null) : null;
  const allowed = context.campaigns;
  if (campaignId !== null && allowed !== undefined && !allowed.includes(campaignId))
    return { ok: false, error: `campaign_id: this key may name only campaigns ${allowed.join(', ')}` };
  return {
    ok: true,
    click: {
      click_id: c.click_id,
      ad_id: c.ad_id,
      user_id: c.user_id,
      ts: time.ts,
      client_ts: c.ts,
      // Normalized before any list or limit sees it (verdicts.lua compares it as a string).
      ip: normalizeIp(context.trusted ? (c.ip ?? context.ip) : context.ip),
      user_agent: userAgent,
      campaign_id: campaignId,
      sender: context.trusted ? (context.sender ?? null) : null,
    },
  };
}

/** The item's click_id if it is a well-formed one, so an invalid item's result can name it. */
export function clickIdOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const id: unknown = (raw as Record<string, unknown>).click_id;
  return typeof id === 'string' && CLICK_ID.test(id) ? id : null;
}
