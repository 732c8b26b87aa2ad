/**
 * The statements the sink and the stats API send, rendered by their own code against a
 * recording client: the sink writes representative `pipeline_out` records (every table the jobs
 * name, both record formats, a dead letter) through its decoder, table catalogue and writer; the
 * stats API answers each of its questions, in each granularity and scope, through
 * clickhouseStats and the /metrics gauge's query.
 */
import type { Config } from '../../src/shared/config.ts';
import { newestFinalWindowEnd } from '../../src/shared/final-window.ts';
import { ApiMetrics } from '../../src/api/metrics.ts';
import type { Scope } from '../../src/api/auth/scope.ts';
import { clickhouseStats } from '../../src/api/queries/clickhouse-stats.ts';
import { clickhouseWriter, type PendingRow } from '../../src/sink/clickhouse-writer.ts';
import { writeDeadLetters } from '../../src/sink/dead-letters.ts';
import { decodePipelineRecord } from '../../src/sink/pipeline-record.ts';
import { TableColumns } from '../../src/sink/table-columns.ts';
import { RecordingClient, type Statement } from './recording-client.ts';

const START = '2026-01-03 10:00:00';
const END = '2026-01-03 10:01:00';
const TS = Date.parse('2026-01-03T10:00:05Z');

/** Records as the jobs write them: 0009's {table, row} and 0003's {kind, ...}. */
const PIPELINE_RECORDS: readonly object[] = [
  { table: 'ad_clicks_minute_log', row: { ad_id: 'ad-1', window_start: START, window_end: END, clicks: 3 } },
  { table: 'windows_closed', row: { window_start: START, window_end: END } },
  {
    table: 'clicks_late',
    row: {
      click_id: 'c-9',
      sender: 'key-1',
      ad_id: 'ad-1',
      campaign_id: 'camp-1',
      user_id: 'u-1',
      ts: START,
      ts_ms: TS,
      client_ts: TS,
      watermark: '2026-01-03 10:02:00.000',
    },
  },
  { table: 'ad_clicks_partial', row: { ad_id: 'ad-1', campaign_id: 'camp-1', window_start: START, clicks: 2 } },
  // A window not closed yet: only its provisional count exists.
  { table: 'ad_clicks_partial', row: { ad_id: 'ad-1', campaign_id: 'camp-1', window_start: END, clicks: 4 } },
  { table: 'ad_rejected_partial', row: { ad_id: 'ad-1', verdict: 'duplicate', window_start: START, clicks: 1 } },
  { kind: 'count', ad_id: 'ad-2', window_start: START, window_end: END, clicks: 1 },
  { kind: 'closed', window_start: START, window_end: END },
  { kind: 'late', ad_id: 'ad-2', click_id: 'c-8', campaign_id: null, user_id: 'u-2', ts: TS, watermark_ts: END },
];

/** The query the sink's table catalogue sends, recorded (its answer comes from chdb). */
export async function catalogueQuery(config: Config): Promise<Statement> {
  const rec = new RecordingClient();
  await rec.during('sink: the table catalogue', () =>
    new TableColumns(rec.client, config.clickhouse.database).lookup('windows_closed'),
  );
  const [query] = rec.statements;
  if (query === undefined) throw new Error('the sink sent no catalogue query');
  return query;
}

/** The sink's statements; `catalogue` is what the catalogue query found ({table, name} rows). */
export async function sinkStatements(config: Config, catalogue: unknown[]): Promise<Statement[]> {
  const rec = new RecordingClient((query) => (query.includes('system.columns') ? catalogue : []));
  const db = config.clickhouse.database;
  const pending: PendingRow[] = PIPELINE_RECORDS.map((record, i) => {
    const value = Buffer.from(JSON.stringify(record));
    const decoded = decodePipelineRecord(value);
    if (!decoded.ok) throw new Error(`record ${i} does not decode: ${decoded.error}`);
    return {
      table: decoded.table,
      row: decoded.row,
      source: { topic: 'pipeline_out', partition: 0, offset: String(i), value },
    };
  });
  const tables = new TableColumns(rec.client, db);
  await rec.during('sink: the table catalogue', () => tables.lookup('windows_closed'));
  const writer = clickhouseWriter(rec.client, db, tables);
  await rec.during('sink: pipeline rows', async () => {
    const refused = await writer.write(pending);
    if (refused.length > 0) throw new Error(`the writer refused ${refused.map((d) => d.error).join('; ')}`);
  });
  // 0008's rollback relies on it: a late row with `sender` reaching a table without the column.
  const [closed] = pending.filter((p) => p.table === 'windows_closed');
  if (closed === undefined) throw new Error('no windows_closed record');
  await rec.during(
    'sink: a row naming a column its table lacks (must be refused)',
    () => writer.write([{ ...closed, row: { ...closed.row, sender: 'key-1' } }]),
    { refused: true },
  );
  const notJson = { topic: 'pipeline_out', partition: 0, offset: '99', value: Buffer.from('not json') };
  const refused = pending[0];
  await rec.during('sink: dead letters', () =>
    writeDeadLetters(rec.client, db, [
      { source: notJson, target: '', row: undefined, error: 'not JSON' },
      ...(refused === undefined
        ? []
        : [{ source: refused.source, target: refused.table, row: refused.row, error: 'Code: 27. refused' }]),
    ]),
  );
  return rec.statements;
}

const SCOPES: Record<string, Scope> = {
  all: { kind: 'all' },
  'ad prefixes': { kind: 'ad_prefixes', prefixes: ['ad-', 'x_'] },
  campaigns: { kind: 'campaigns', campaigns: ['camp-1', 'camp-2'] },
};

/** Every query of the stats API, with the range around the sink's rows. */
export async function statsStatements(config: Config): Promise<Statement[]> {
  const rec = new RecordingClient();
  const stats = clickhouseStats(
    rec.client,
    { database: config.clickhouse.database, windowSeconds: config.pipeline.windowSeconds },
    new ApiMetrics(),
  );
  const range = { fromMs: Date.parse('2026-01-03T09:00:00Z'), toMs: Date.parse('2026-01-03T11:00:00.500Z') };
  await rec.during('stats: /clicks by minute', () => stats.clicks('ad-1', 'minute', range));
  await rec.during('stats: /clicks by hour', () => stats.clicks('ad-1', 'hour', range));
  for (const [name, scope] of Object.entries(SCOPES)) {
    await rec.during(`stats: /top, ${name}`, () => stats.top(range, 10, scope));
    await rec.during(`stats: /late, ${name}`, () => stats.late(range, scope));
  }
  await rec.during('stats: /rejected', () => stats.rejected('ad-1', range));
  await rec.during('stats: a campaign key may read an ad', () => stats.adInCampaigns(['camp-1'], 'ad-1'));
  await rec.during('stats: /health', () => stats.ping());
  await rec.during('stats: /metrics, the newest final window', () => newestFinalWindowEnd(config, rec.client));
  return rec.statements;
}
