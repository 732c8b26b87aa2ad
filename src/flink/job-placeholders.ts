/**
 * The placeholders a Flink job file may use, filled from the typed config: the fixed set below
 * and nothing else (docs/migrations.md lists the same). A job needs its topics, windows and
 * transactional prefix.
 */
import type { Config } from '../shared/config.ts';
import { jobGroupId, topicNames } from '../shared/names.ts';

/** Per partition, the first offset of a topic that the job's previous version had not read. */
export type FirstNewOffsets = Record<'clicks' | 'rejected', ReadonlyMap<number, number>>;

/**
 * Where a job's Kafka sources begin when it has no state to restore from; for a rebuild, also
 * where the previous version stopped reading (see `firstNewOffset`).
 */
export type Startup = { mode: 'earliest-offset'; firstNew?: FirstNewOffsets } | { mode: 'timestamp'; fromMs: number };

/** A bounded re-run of a job that keeps only the rows about [fromMs, toMs). */
export interface ReplayRange {
  fromMs: number;
  toMs: number;
  /** Distinguishes this run's consumer group and transactions from the live job's. */
  runId: string;
}

function sourceStartup(startup: Startup, bounded: boolean): string {
  const options = [`'scan.startup.mode' = '${startup.mode}'`];
  if (startup.mode === 'timestamp') options.push(`'scan.startup.timestamp-millis' = '${startup.fromMs}'`);
  if (bounded) options.push(`'scan.bounded.mode' = 'latest-offset'`);
  return options.join(',\n  ');
}

/**
 * An SQL expression over the source's `kafka_partition` column: the first offset of that
 * partition the previous version had not read (0 without a previous version). A rebuilt job
 * reads from the earliest offset to rebuild its state, but skips these records in the outputs
 * that are summed (partial counts): the previous version already emitted them.
 */
function firstNewOffset(offsets: ReadonlyMap<number, number> | undefined): string {
  const known = [...(offsets ?? new Map<number, number>())].filter(([, offset]) => offset > 0);
  if (known.length === 0) return '0';
  return `CASE kafka_partition ${known.map(([p, o]) => `WHEN ${p} THEN ${o}`).join(' ')} ELSE 0 END`;
}

/** For Flink job files. `hash` is the job version (see job-sql.ts); `replay` a bounded re-run. */
export function flinkPlaceholders(
  config: Config,
  job: string,
  startup: Startup,
  hash: string,
  replay?: ReplayRange,
): Record<string, string | number> {
  const topics = topicNames(config);
  const runName = replay === undefined ? job : `${job}-replay-${replay.runId}`;
  return {
    JOB_NAME: jobGroupId(config, runName),
    KAFKA_BOOTSTRAP: config.kafka.brokers.join(','),
    TOPIC_CLICKS: topics.clicks,
    TOPIC_REJECTED: topics.rejected,
    TOPIC_PIPELINE_OUT: topics.pipelineOut,
    WINDOW_SECONDS: config.pipeline.windowSeconds,
    WINDOW_MS: config.pipeline.windowSeconds * 1000,
    GRACE_SECONDS: (config.pipeline.graceMs / 1000).toFixed(3),
    GRACE_MS: config.pipeline.graceMs,
    // The dedup horizon: how long the engine remembers a counted click_id.
    HORIZON_MS: config.dedup.horizonSeconds * 1000,
    // One prefix per job version: a new version never fences the old one's transactions.
    TRANSACTIONAL_ID_PREFIX: `${config.kafka.topicPrefix}${runName}-${hash}`,
    SOURCE_STARTUP: sourceStartup(startup, replay !== undefined),
    FIRST_NEW_OFFSET_CLICKS: firstNewOffset(startup.mode === 'earliest-offset' ? startup.firstNew?.clicks : undefined),
    FIRST_NEW_OFFSET_REJECTED: firstNewOffset(
      startup.mode === 'earliest-offset' ? startup.firstNew?.rejected : undefined,
    ),
    // TRUE for the live job; a replay keeps the rows of its range that collapse onto their first
    // emission (partial counts are summed: a second emission would count twice).
    OUTPUT_FILTER:
      replay === undefined ? 'TRUE' : `(replayable AND event_ms >= ${replay.fromMs} AND event_ms < ${replay.toMs})`,
  };
}
