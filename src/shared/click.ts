/**
 * The click contract (ARCHITECTURE.md, "A click"): the zod schema, the types derived from it,
 * and `validateClick`, which turns one untrusted item into a typed outcome and never throws.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** More than this far in the future is a clock error or a forgery, not a click. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

// C0 controls, DEL and C1 controls: never legitimate in ids or user agents, and dangerous in logs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

const text = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');
const token = (max: number, pattern: RegExp, allowed: string) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
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

const eventTime = z.union([
  z.number().int('must be an integer (epoch ms)').nonnegative('must not be negative')
    .max(Number.MAX_SAFE_INTEGER, 'is out of range'),
  z.string().max(40, 'must be at most 40 characters')
    .transform((s, ctx) => {
      const t = parseIsoWithZone(s);
      if (t === null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be ISO-8601 with a zone' });
      return t ?? 0;
    }),
], { errorMap: () => ({ message: 'must be epoch ms (integer) or ISO-8601 with a zone' }) });

/** A click as a client may send it (before defaults). */
export const rawClickSchema = z.object({
  click_id: token(64, /^[A-Za-z0-9_-]+$/, 'A-Z a-z 0-9 _ -'),
  ad_id: token(64, /^[A-Za-z0-9_.:-]+$/, 'A-Z a-z 0-9 _ . : -'),
  user_id: text(128),
  ts: eventTime,
  ip: z.string().max(45, 'must be at most 45 characters')
    .refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address').optional(),
  user_agent: text(1024).optional(),
  campaign_id: token(64, /^[A-Za-z0-9_.:-]+$/, 'A-Z a-z 0-9 _ . : -').nullable().optional(),
}, { invalid_type_error: 'must be a JSON object' });

export type RawClick = z.input<typeof rawClickSchema>;

/** A valid click with its defaults filled in and ts as epoch ms: what the rest of the system sees. */
export const clickSchema = z.object({
  click_id: z.string(),
  ad_id: z.string(),
  user_id: z.string(),
  ts: z.number().int(),
  ip: z.string(),
  user_agent: z.string(),
  campaign_id: z.string().nullable(),
});

export type Click = z.infer<typeof clickSchema>;

/** What the request supplies when an item leaves ip or user_agent out. */
export interface ClickDefaults {
  ip: string;
  userAgent: string;
}

export type ClickOutcome = { ok: true; click: Click } | { ok: false; error: string };

/** Validates one untrusted item. The error names the first bad field and why ("ts: ..."). */
export function validateClick(raw: unknown, defaults: ClickDefaults, now: number): ClickOutcome {
  const parsed = rawClickSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] ?? 'click';
    return { ok: false, error: `${String(field)}: ${issue?.message ?? 'is invalid'}` };
  }
  const c = parsed.data;
  if (c.ts > now + MAX_FUTURE_SKEW_MS) return { ok: false, error: 'ts: is more than 5 minutes in the future' };
  return {
    ok: true,
    click: {
      click_id: c.click_id,
      ad_id: c.ad_id,
      user_id: c.user_id,
      ts: c.ts,
      ip: c.ip ?? defaults.ip,
      user_agent: c.user_agent ?? defaults.userAgent,
      campaign_id: c.campaign_id ?? null,
    },
  };
}

/** The item's click_id if it is a well-formed one, so an invalid item's result can name it. */
export function clickIdOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const id: unknown = (raw as Record<string, unknown>).click_id;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}
