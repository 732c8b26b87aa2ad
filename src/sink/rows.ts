/**
 * Kafka records to ClickHouse rows: pure functions, one per source topic. A record that does
 * not match the format is a typed outcome (counted and logged by the caller), never a crash.
 */
import { toDateTime } from '../shared/clickhouse.ts';
import { decodeMessage } from '../shared/messages.ts';
import { pipelineMessageSchema } from '../shared/pipeline-messages.ts';

export type Row = Record<string, string | number>;
export type Table = 'clicks_raw' | 'clicks_rejected' | 'ad_clicks_minute_log' | 'windows_closed' | 'clicks_late';
export type RowOutcome = { ok: true; table: Table; row: Row } | { ok: true; table: null } | { ok: false; error: string };

export interface RecordRef {
  value: Buffer | null;
  partition: number;
  offset: string;
}

const windowStartOf = (ms: number, windowMs: number) => toDateTime(ms - (ms % windowMs));

/** A record of `clicks` or `clicks_rejected` (ingest output); heartbeats map to no row. */
export function ingestRow(record: RecordRef, windowMs: number): RowOutcome {
  const decoded = decodeMessage(record.value);
  if (!decoded.ok) return decoded;
  const m = decoded.message;
  if (m.kind === 'heartbeat') return { ok: true, table: null };
  const common = { click_id: m.click_id, ad_id: m.ad_id, ts: toDateTime(m.ts), ts_ms: m.ts, window_start: windowStartOf(m.ts, windowMs) };
  if (m.kind === 'rejected') return { ok: true, table: 'clicks_rejected', row: { ...common, verdict: m.verdict } };
  return {
    ok: true,
    table: 'clicks_raw',
    row: { ...common, campaign_id: m.campaign_id ?? '', user_id: m.user_id, ingested_at: m.ingested_at },
  };
}

/** A record of `pipeline_out` (the Flink job's output). */
export function pipelineRow(record: RecordRef): RowOutcome {
  let json: unknown;
  try {
    json = JSON.parse(record.value?.toString() ?? 'null');
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = pipelineMessageSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? 'bad pipeline record' };
  const m = parsed.data;
  switch (m.kind) {
    case 'count':
      return {
        ok: true,
        table: 'ad_clicks_minute_log',
        row: { ad_id: m.ad_id, window_start: m.window_start, window_end: m.window_end, clicks: m.clicks, kafka_offset: Number(record.offset) },
      };
    case 'closed':
      return { ok: true, table: 'windows_closed', row: { window_start: m.window_start, window_end: m.window_end } };
    case 'late':
      return {
        ok: true,
        table: 'clicks_late',
        row: { click_id: m.click_id, ad_id: m.ad_id, campaign_id: m.campaign_id ?? '', user_id: m.user_id, ts: toDateTime(m.ts), ts_ms: m.ts, watermark: m.watermark_ts },
      };
  }
}
