/**
 * The click contract (docs/ingest.md and docs/messages.md): the zod schema, the types derived from it,
 * and `validateClick`, which turns one untrusted item into a typed outcome and never throws.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { eventTimeOf, type ReceiveClock } from './event-time.ts';

// C0 controls, DEL and C1 controls: never legitimate in ids or user agents, and dangerous in logs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one: valid
// JSON and a valid JavaScript string, but not Unicode, and ClickHouse refuses it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** True for well-formed Unicode without control characters: what every string of a click must be. */
export function isCleanText(s: string): boolean {
  return !CONTROL.test(s) && !LONE_SURROGATE.test(s);
}

const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (no lone surrogates)')
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');
const token = (max: number, pattern: RegExp, allowed: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(pattern, `may only contain ${allowed}`);

/** Epoch ms from an ISO-8601 string with a zone, or null if it is not one (or not a real date). */
export function parseIsoWithZone(s: string): number | null {
  const m = ISO_WITH_ZONE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', frac = '', zone = 'Z'] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  // Date.parse rolls Feb 30 over to March; a real date round-trips.
  if (day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  const ms = (frac + '000').slice(0, 3);
  const z = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec.padStart(2, '0')}.${ms}${z}`);
  return Number.isFinite(t) ? t : null;
}

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

const campaignId = token(64, /^[A-Za-z0-9_.:-]+$/, 'A-Z a-z 0-9 _ . : -');

/** A click as a client may send it (before defaults). */
export const rawClickSchema = z.object(
  {
    click_id: token(64, /^[A-Za-z0-9_-]+$/, 'A-Z a-z 0-9 _ -'),
    ad_id: token(64, /^[A-Za-z0-9_.:-]+$/, 'A-Z a-z 0-9 _ . : -'),
    user_id: text(128),
    ts: eventTime,
    ip: z
      .string()
      .max(45, 'must be at most 45 characters')
      .refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address')
      .optional(),
    // Empty is allowed: a request without a User-Agent header has an empty one.
    user_agent: z
      .string()
      .max(1024, 'must be at most 1024 characters')
      .refine((s) => !LONE_SURROGATE.test(s), 'must be well-formed Unicode (no lone surrogates)')
      .refine((s) => !CONTROL.test(s), 'must not contain control characters')
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
  /** The caller's sender (its namespace of ids); null for an anonymous caller. */
  sender: string | null;
  clock: ReceiveClock;
}

export type ClickOutcome = { ok: true; click: Click } | { ok: false; error: string };

type RawClick = z.infer<typeof rawClickSchema>;

const CLICK_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DOTTED_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
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
  if (typeof ad_id !== 'string' || !DOTTED_ID.test(ad_id)) return null;
  if (typeof user_id !== 'string' || user_id.length === 0 || user_id.length > 128 || !isCleanText(user_id)) return null;
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
  if (!optionalString(user_agent, 1024) || (user_agent !== undefined && !isCleanText(user_agent))) return null;
  if (
    campaign_id !== undefined &&
    campaign_id !== null &&
    (typeof campaign_id !== 'string' || !DOTTED_ID.test(campaign_id))
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
  return {
    ok: true,
    click: {
      click_id: c.click_id,
      ad_id: c.ad_id,
      user_id: c.user_id,
      ts: time.ts,
      client_ts: c.ts,
      ip: context.trusted ? (c.ip ?? context.ip) : context.ip,
      user_agent: userAgent,
      campaign_id: context.trusted ? (c.campaign_id ?? null) : null,
      sender: context.sender,
    },
  };
}

/** The item's click_id if it is a well-formed one, so an invalid item's result can name it. */
export function clickIdOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const id: unknown = (raw as Record<string, unknown>).click_id;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}
