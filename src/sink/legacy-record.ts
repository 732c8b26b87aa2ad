/** The first job version's output (migration 0003): kinds count, closed and late, as table rows. */
import { z } from 'zod';
import { toDateTime } from '../shared/clickhouse.ts';
import type { Decoded } from './decoded.ts';

const dateTime = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
const legacySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('count'),
    ad_id: z.string(),
    window_start: dateTime,
    window_end: dateTime,
    clicks: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal('closed'), window_start: dateTime, window_end: dateTime }),
  z.object({
    kind: z.literal('late'),
    ad_id: z.string(),
    click_id: z.string(),
    campaign_id: z.string().nullable(),
    user_id: z.string(),
    ts: z.number().int(),
    watermark_ts: z.string(),
  }),
]);

export function legacyPipelineRow(json: unknown): Decoded {
  const parsed = legacySchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `legacy record: ${parsed.error.issues[0]?.message ?? 'bad'}` };
  const m = parsed.data;
  switch (m.kind) {
    case 'count':
      return {
        ok: true,
        table: 'ad_clicks_minute_log',
        row: { ad_id: m.ad_id, window_start: m.window_start, window_end: m.window_end, clicks: m.clicks },
      };
    case 'closed':
      return { ok: true, table: 'windows_closed', row: { window_start: m.window_start, window_end: m.window_end } };
    case 'late':
      return {
        ok: true,
        table: 'clicks_late',
        row: {
          click_id: m.click_id,
          ad_id: m.ad_id,
          campaign_id: m.campaign_id ?? '',
          user_id: m.user_id,
          ts: toDateTime(m.ts),
          ts_ms: m.ts,
          watermark: m.watermark_ts,
        },
      };
  }
}
