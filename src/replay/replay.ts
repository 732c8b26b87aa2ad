/**
 * Replay (the Kappa side): recomputes the windows of a time range from Kafka with the SQL of the
 * deployed version of a job (the caller resolves it: src/migrate/deployed-job.ts), as a bounded
 * run, into the same output topic and so the same tables. Only final windows can be replayed; a
 * replayed window that is already in ClickHouse collapses onto the first emission, a missing one
 * is rebuilt.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Config } from '../shared/config.ts';
import { sqlIdentifier } from '../shared/clickhouse.ts';
import { jobSessionProperties } from '../flink/deploy.ts';
import { FlinkRest } from '../flink/flink-rest.ts';
import { renderJob } from '../flink/job-sql.ts';
import { countRecords, endOffset } from './replay-output.ts';
import { createKafka } from '../shared/clients.ts';
import { topicNames } from '../shared/names.ts';
import { SqlGateway } from '../flink/sql-gateway.ts';
import { setTimeout as sleep } from 'node:timers/promises';

// Five minutes of the log before the range: covers the ingest's delay between a click's event
// time and its append to Kafka, and lets each partition's watermark form before the range.
const LEAD_MS = 5 * 60_000;

export interface ReplayResult {
  jobId: string;
  fromMs: number;
  toMs: number;
  /** Committed records the replay wrote to pipeline_out, and how many rows of each table. */
  rowsEmitted: number;
  byTable: Record<string, number>;
}

export class ReplayRangeError extends Error {}

async function latestFinalEnd(clickhouse: ClickHouseClient, config: Config): Promise<number> {
  const db = sqlIdentifier(config.clickhouse.database);
  const rs = await clickhouse.query({
    query: `SELECT toUInt64(max(window_end)) * 1000 AS end FROM ${db}.windows_closed`,
    format: 'JSONEachRow',
  });
  return Number(((await rs.json()) as Array<{ end: string }>)[0]?.end ?? 0);
}

/** A job to replay: its name and the template of the version that is deployed. */
export interface ReplayedJob {
  job: string;
  template: string;
}

export async function runReplay(
  config: Config,
  clickhouse: ClickHouseClient,
  current: ReplayedJob,
  range: { fromMs: number; toMs: number },
  progress: (m: string) => void,
): Promise<ReplayResult> {
  const windowMs = config.pipeline.windowSeconds * 1000;
  const fromMs = Math.floor(range.fromMs / windowMs) * windowMs;
  const toMs = Math.ceil(range.toMs / windowMs) * windowMs;
  if (toMs <= fromMs) throw new ReplayRangeError('--to must be after --from');
  const finalEnd = await latestFinalEnd(clickhouse, config);
  if (toMs > finalEnd) {
    throw new ReplayRangeError(
      `only final windows can be replayed: the latest final window ends at ${new Date(finalEnd).toISOString()}`,
    );
  }
  const runId = Date.now().toString(36);
  const job = renderJob(
    config,
    current.job,
    current.template,
    { mode: 'timestamp', fromMs: Math.max(0, fromMs - LEAD_MS) },
    { fromMs, toMs, runId },
  );
  const name = `${config.kafka.topicPrefix}${current.job}-replay-${runId}`;
  progress(
    `replaying windows ${new Date(fromMs).toISOString()} .. ${new Date(toMs).toISOString()} as Flink job ${name}`,
  );
  const gateway = SqlGateway.fromConfig(config);
  const rest = FlinkRest.fromConfig(config);
  const kafka = createKafka(config, 'tollbooth-replay');
  const output = topicNames(config).pipelineOut;
  const startOffset = await endOffset(kafka, output);
  const jobId = await gateway.withSession({ name: 'replay', properties: jobSessionProperties(config, name) }, (s) =>
    s.submitStatementSet(job.setup, job.inserts),
  );
  for (;;) {
    const state = (await rest.jobDetails(jobId)).state;
    const written = (await endOffset(kafka, output)) - startOffset;
    progress(`  ${state.toLowerCase()}: ${written} offsets of ${output} written so far (rows and transaction markers)`);
    if (state === 'FINISHED') {
      const { records, byTable } = await countRecords(
        kafka,
        output,
        startOffset,
        await endOffset(kafka, output),
        `${config.kafka.topicPrefix}replay-count-${runId}`,
      );
      progress(
        `  finished: ${records} rows emitted (${
          Object.entries(byTable)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ') || 'none'
        })`,
      );
      return { jobId, fromMs, toMs, rowsEmitted: records, byTable };
    }
    if (state === 'FAILED' || state === 'CANCELED')
      throw new Error(`replay job ${jobId} ended ${state}: ${(await rest.jobFailure(jobId)) ?? 'no cause reported'}`);
    // Two seconds: a readable pace for progress lines; a replay takes seconds to minutes.
    await sleep(2000);
  }
}
