/**
 * The stats API's SQL, as pure functions of validated input. Every value enters through
 * sqlString() (strings and times) or sqlInt() (numbers we computed); identifiers through
 * sqlIdentifier(). ClickHouse 18.16 has no query parameters, so this file is the guard.
 *
 * Counting rule (docs/api.md): a window counts its final count once the final watermark (max
 * window_end of windows_closed) has passed its end, else its provisional count (the job's
 * partial counts). The provisional side is read only for windows the watermark has not passed,
 * so history costs one primary-key range of the small final table. A bucket with a dead-lettered
 * row is never final.
 */
import { sqlIdentifier, sqlString, toDateTime } from '../../shared/clickhouse.ts';
import { TABLES } from '../../shared/names.ts';
import { type Scope } from '../auth/scope.ts';
import type { Granularity } from '../params.ts';
import type { TimeRange } from './stats-store.ts';

export const BUCKET_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000 };

/** Most buckets a /clicks query can return: 31 days of minutes (the validated cap) and some margin. */
export const MAX_BUCKET_ROWS = 50_000;
export const MAX_LATE_ROWS = 1000;
/** Four verdicts are expected; a few more would only mean a new verdict we ignore. */
export const MAX_VERDICT_ROWS = 100;

export interface SqlContext {
  database: string;
  windowSeconds: number;
}

/** A number we computed (never user text), checked to be a plain non-negative integer. */
export function sqlInt(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a safe integer for SQL: ${n}`);
  return String(n);
}

/** Epoch ms as a DateTime literal (whole seconds, UTC), through the one escaping function. */
export function sqlTime(ms: number): string {
  return `toDateTime(${sqlString(toDateTime(ms))})`;
}

/** DateTime has whole seconds; a window starting at or after `ms` starts at or after this second. */
const ceilToSecond = (ms: number): number => Math.ceil(ms / 1000) * 1000;

/** The range of window starts [from, to) in whole seconds. */
export function windowRange(range: TimeRange): TimeRange {
  return { fromMs: ceilToSecond(range.fromMs), toMs: ceilToSecond(range.toMs) };
}

/** A /clicks range widened to whole buckets: the first and last buckets are never partial. */
export function bucketRange(range: TimeRange, granularity: Granularity): TimeRange {
  const size = BUCKET_MS[granularity];
  return { fromMs: Math.floor(range.fromMs / size) * size, toMs: Math.ceil(range.toMs / size) * size };
}

const table = (ctx: SqlContext, name: string): string => `${sqlIdentifier(ctx.database)}.${sqlIdentifier(name)}`;
const between = (column: string, r: TimeRange): string =>
  `${column} >= ${sqlTime(r.fromMs)} AND ${column} < ${sqlTime(r.toMs)}`;
const watermark = (ctx: SqlContext): string => `(SELECT max(window_end) FROM ${table(ctx, TABLES.windowsClosed)})`;

/** Ads whose every counted click names one of the campaigns (see StatsStore.adInCampaigns). */
/**
 * The ads whose clicks name these campaigns and no other. A click naming no campaign ('': an
 * anonymous click, or a server's click without one) neither grants nor denies, so an anonymous
 * click cannot lock a campaign's key out of its ad; an ad named by no click is in no campaign.
 */
function campaignAds(ctx: SqlContext, campaigns: readonly string[], where: string): string {
  return `SELECT ad_id FROM ${table(ctx, TABLES.adCampaigns)} WHERE ${where} AND campaign_id != '' GROUP BY ad_id
HAVING countIf(campaign_id NOT IN (${campaigns.map(sqlString).join(', ')})) = 0`;
}

/** A WHERE condition on `ad_id` that keeps the ads of a scope. */
export function scopeCondition(ctx: SqlContext, scope: Scope): string {
  switch (scope.kind) {
    case 'all':
      return '1';
    case 'ad_prefixes':
      // substring, not LIKE: ad ids may contain "_", a LIKE wildcard. Ids are ASCII, so bytes = characters.
      return `(${scope.prefixes.map((p) => `substring(ad_id, 1, ${sqlInt(p.length)}) = ${sqlString(p)}`).join(' OR ')})`;
    case 'campaigns':
      return `ad_id IN (${campaignAds(ctx, scope.campaigns, '1')})`;
  }
}

/**
 * Per-window final and provisional counts, joined; `keys` are the join columns. Missing sides
 * read as 0 (join_use_nulls = 0), and the caller picks one per window against the watermark.
 * Each side has an alias: ClickHouse since 20.3 refuses a joined subquery without one
 * (joined_subquery_requires_alias), and 18.16 takes them alike (docs/stack.md).
 */
// `window_start + w > watermark`, not `window_start > watermark - w`: DateTime is unsigned, and
// before the first window closes the watermark is 0, so the subtraction wrapped around and hid
// every provisional count until a minute had closed.
function windowCounts(ctx: SqlContext, keys: readonly string[], where: string): string {
  const w = sqlInt(ctx.windowSeconds);
  const columns = keys.join(', ');
  return `(SELECT ${columns}, clicks AS final_clicks FROM ${table(ctx, TABLES.finalMinutes)} WHERE ${where}) AS finals
ALL FULL OUTER JOIN
(SELECT ${columns}, clicks AS provisional_clicks FROM ${table(ctx, TABLES.provisional)}
 WHERE ${where} AND window_start + ${w} > ${watermark(ctx)}) AS provisionals
USING (${columns})`;
}

const pickCount = (ctx: SqlContext, windowStart = 'window_start'): string =>
  `if(${windowStart} + ${sqlInt(ctx.windowSeconds)} <= wm, final_clicks, provisional_clicks)`;

/**
 * One ad's buckets: on-time clicks (final or provisional per window), late clicks by their own
 * event time, and dead letters, each as rows of one union, summed per bucket. Types are cast to
 * UInt64 on every side: 18.16 refuses a UNION ALL whose column types differ.
 */
export function clicksSql(ctx: SqlContext, adId: string, granularity: Granularity, range: TimeRange): string {
  const r = bucketRange(range, granularity);
  const bucketStart = granularity === 'minute' ? 'toStartOfMinute(ws)' : 'toStartOfHour(ws)';
  const ad = `ad_id = ${sqlString(adId)}`;
  const zero = 'toUInt64(0)';
  return `WITH ${watermark(ctx)} AS wm
SELECT toUnixTimestamp(${bucketStart}) AS start, sum(${pickCount(ctx, 'ws')}) AS clicks,
       sum(late_n) AS late, sum(dead_n) AS dead,
       start + ${sqlInt(BUCKET_MS[granularity] / 1000)} <= toUnixTimestamp(wm) AND dead = 0 AS final
FROM (
  SELECT window_start AS ws, toUInt64(final_clicks) AS final_clicks, toUInt64(provisional_clicks) AS provisional_clicks, ${zero} AS late_n, ${zero} AS dead_n
  FROM ${windowCounts(ctx, ['window_start'], `${ad} AND ${between('window_start', r)}`)}
  UNION ALL
  SELECT minute_start AS ws, ${zero}, ${zero}, toUInt64(late), ${zero}
  FROM ${table(ctx, TABLES.lateMinutes)} WHERE ${ad} AND ${between('minute_start', r)}
  UNION ALL
  SELECT window_start AS ws, ${zero}, ${zero}, ${zero}, toUInt64(count())
  FROM ${table(ctx, TABLES.deadLetters)} WHERE ${ad} AND ${between('window_start', r)} GROUP BY window_start
)
GROUP BY start HAVING clicks > 0 OR late > 0 ORDER BY start LIMIT ${sqlInt(MAX_BUCKET_ROWS)}`;
}

export function topSql(ctx: SqlContext, range: TimeRange, limit: number, scope: Scope): string {
  const where = `${between('window_start', windowRange(range))} AND ${scopeCondition(ctx, scope)}`;
  return `WITH ${watermark(ctx)} AS wm
SELECT ad_id, sum(${pickCount(ctx)}) AS clicks
FROM ${windowCounts(ctx, ['ad_id', 'window_start'], where)}
GROUP BY ad_id HAVING clicks > 0 ORDER BY clicks DESC, ad_id LIMIT ${sqlInt(limit)}`;
}

export function rejectedSql(ctx: SqlContext, adId: string, range: TimeRange): string {
  return `SELECT verdict, sum(clicks) AS clicks FROM ${table(ctx, TABLES.rejectedMinutes)}
WHERE ad_id = ${sqlString(adId)} AND ${between('window_start', windowRange(range))}
GROUP BY verdict ORDER BY verdict LIMIT ${sqlInt(MAX_VERDICT_ROWS)}`;
}

export function lateSql(ctx: SqlContext, range: TimeRange, scope: Scope): string {
  return `SELECT ad_id, sum(late) AS late FROM ${table(ctx, TABLES.lateMinutes)}
WHERE ${between('minute_start', windowRange(range))} AND ${scopeCondition(ctx, scope)}
GROUP BY ad_id HAVING late > 0 ORDER BY late DESC, ad_id LIMIT ${sqlInt(MAX_LATE_ROWS)}`;
}

export function adInCampaignsSql(ctx: SqlContext, campaigns: readonly string[], adId: string): string {
  return `SELECT count() AS n FROM (${campaignAds(ctx, campaigns, `ad_id = ${sqlString(adId)}`)}) LIMIT 1`;
}
