/**
 * Query and path parameters of the stats routes: zod schemas and the typed values they give.
 * A bad parameter is a value (`{error, field}`) that the route sends as a 400, never an exception.
 */
import { z } from 'zod';
import { parseIsoWithZone } from '../shared/click.ts';
import { AD_ID_ALPHABET, AD_ID_CHARS, ID_MAX_LENGTH } from '../shared/ids.ts';

const DAY_MS = 86_400_000;

/**
 * Longest ranges a request may ask for, so that no query scans without bound: 31 days of minute
 * buckets is 44,640 rows; a year of hours is 8,784. /top and /late rank all ads, so they get the
 * month cap; /rejected reads one ad's rows by primary key, so it gets the year.
 */
export const MAX_RANGE_MS = {
  minute: 31 * DAY_MS,
  hour: 366 * DAY_MS,
  ranking: 31 * DAY_MS,
  rejected: 366 * DAY_MS,
} as const;

// ClickHouse's DateTime holds 1970 to 2106; anything outside is a mistake, not a query.
const MAX_TIME_MS = Date.UTC(2100, 0, 1);

export const MAX_TOP_LIMIT = 1000;
const DEFAULT_TOP_LIMIT = 10;

const timeParam = z
  .string({ required_error: 'is required', invalid_type_error: 'must be given once' })
  .max(40, 'must be at most 40 characters')
  .transform((s, ctx) => {
    const ms = /^\d{1,16}$/.test(s) ? Number(s) : parseIsoWithZone(s);
    if (ms === null) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'must be epoch milliseconds (digits only) or ISO-8601 with a zone, e.g. 2026-01-01T00:00:00Z',
      });
      return z.NEVER;
    }
    if (ms > MAX_TIME_MS) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be before 2100-01-01T00:00:00Z' });
      return z.NEVER;
    }
    return ms;
  });

/** An ad id as the click contract defines it: 1-64 characters of A-Z a-z 0-9 _ . : - */
export const adIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(ID_MAX_LENGTH, `must be at most ${ID_MAX_LENGTH} characters`)
  .regex(AD_ID_CHARS, `may only contain ${AD_ID_ALPHABET}`);

function rangeChecked<T extends { from: number; to: number }>(capMs: (v: T) => number, capName: (v: T) => string) {
  return (v: T, ctx: z.RefinementCtx): void => {
    if (v.to <= v.from) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: 'must be after from' });
    else if (v.to - v.from > capMs(v))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: `range is longer than ${capName(v)}` });
  };
}

const days = (ms: number): string => `${ms / DAY_MS} days`;

export const clicksQuerySchema = z
  .object({
    from: timeParam,
    to: timeParam,
    granularity: z
      .enum(['minute', 'hour'], { errorMap: () => ({ message: 'must be minute or hour' }) })
      .default('minute'),
  })
  .strict()
  .superRefine(
    rangeChecked(
      (v) => MAX_RANGE_MS[v.granularity],
      (v) =>
        `${days(MAX_RANGE_MS[v.granularity])} (the cap for granularity=${v.granularity}${v.granularity === 'minute' ? '; use granularity=hour for longer ranges' : ''})`,
    ),
  );

const limitParam = z
  .string({ invalid_type_error: 'must be given once' })
  .regex(/^\d{1,4}$/, `must be an integer from 1 to ${MAX_TOP_LIMIT}`)
  .transform(Number)
  .refine((n) => n >= 1 && n <= MAX_TOP_LIMIT, `must be an integer from 1 to ${MAX_TOP_LIMIT}`)
  .default(String(DEFAULT_TOP_LIMIT));

export const topQuerySchema = z
  .object({ from: timeParam, to: timeParam, limit: limitParam })
  .strict()
  .superRefine(
    rangeChecked(
      () => MAX_RANGE_MS.ranking,
      () => days(MAX_RANGE_MS.ranking),
    ),
  );

// A dashboard shows a handful of ads; each costs two queries, so the cap bounds one request's work.
export const MAX_OVERVIEW_LIMIT = 20;
const DEFAULT_OVERVIEW_LIMIT = 5;

export const overviewQuerySchema = z
  .object({
    from: timeParam,
    to: timeParam,
    limit: z
      .string({ invalid_type_error: 'must be given once' })
      .regex(/^\d{1,2}$/, `must be an integer from 1 to ${MAX_OVERVIEW_LIMIT}`)
      .transform(Number)
      .refine((n) => n >= 1 && n <= MAX_OVERVIEW_LIMIT, `must be an integer from 1 to ${MAX_OVERVIEW_LIMIT}`)
      .default(String(DEFAULT_OVERVIEW_LIMIT)),
  })
  .strict()
  .superRefine(
    rangeChecked(
      () => MAX_RANGE_MS.minute,
      () => days(MAX_RANGE_MS.minute),
    ),
  );

export const lateQuerySchema = z
  .object({ from: timeParam, to: timeParam })
  .strict()
  .superRefine(
    rangeChecked(
      () => MAX_RANGE_MS.ranking,
      () => days(MAX_RANGE_MS.ranking),
    ),
  );

export const rejectedQuerySchema = z
  .object({ from: timeParam, to: timeParam })
  .strict()
  .superRefine(
    rangeChecked(
      () => MAX_RANGE_MS.rejected,
      () => days(MAX_RANGE_MS.rejected),
    ),
  );

export const adPathSchema = z.object({ ad_id: adIdSchema });

export type ClicksQuery = z.output<typeof clicksQuerySchema>;
export type Granularity = ClicksQuery['granularity'];

/** What a 400 says: which parameter and what is wrong with it. */
export interface ParamError {
  error: string;
  field?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParamError };

/** Validates untrusted input against a schema; the first problem becomes the 400's message. */
export function parseParams<S extends z.ZodTypeAny>(schema: S, input: unknown): Parsed<z.output<S>> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  if (issue === undefined) return { ok: false, error: { error: 'invalid parameters' } };
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const field = issue.keys[0] ?? '';
    return { ok: false, error: { error: `unknown parameter "${field.slice(0, 40)}"`, field: field.slice(0, 40) } };
  }
  const field = issue.path.map(String).join('.');
  return { ok: false, error: field ? { error: `${field}: ${issue.message}`, field } : { error: issue.message } };
}
