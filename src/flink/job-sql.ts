/**
 * A Flink job is a named SQL file in sql/flink/: table and view declarations, then one
 * `EXECUTE STATEMENT SET BEGIN ... END;`. This renders it from the typed config and splits it
 * into the statements the SQL Gateway takes one at a time. The job's identity is its name plus
 * a hash of its rendered SQL.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import { topicNames } from '../shared/messages.ts';
import { pipelineOutTopic } from '../shared/pipeline-messages.ts';
import { fillTemplate } from '../shared/template.ts';

/** Where the job's Kafka sources begin when it has no state to restore from. */
export type Startup = { mode: 'earliest-offset' } | { mode: 'timestamp'; fromMs: number };

/**
 * A replay: a bounded run (to the offsets that are latest when it starts) whose output keeps
 * only the windows starting in [fromMs, toMs) and the late clicks of that range.
 */
export interface ReplayRange {
  fromMs: number;
  toMs: number;
  /** Distinguishes this run's consumer group and transactions from the live job's. */
  runId: string;
}

export interface JobSql {
  name: string;
  /** First 12 hex digits of sha256 over the rendered SQL (startup options excluded). */
  hash: string;
  setup: string[];
  inserts: string[];
}

export function jobSqlFile(config: Config, name: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a job name: ${JSON.stringify(name)}`);
  return path.join(config.repoRoot, 'sql', 'flink', `${name}.sql`);
}

const dateTimeLiteral = (ms: number) => `'${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}'`;

function outputFilter(replay: ReplayRange | undefined): string {
  if (replay === undefined) return 'TRUE';
  const { fromMs, toMs } = replay;
  return `((kind <> 'late' AND window_start >= ${dateTimeLiteral(fromMs)} AND window_start < ${dateTimeLiteral(toMs)})` +
    ` OR (kind = 'late' AND ts >= ${fromMs} AND ts < ${toMs}))`;
}

function templateValues(config: Config, name: string, startup: Startup, hash: string, replay?: ReplayRange): Record<string, string | number> {
  const topics = topicNames(config);
  const runName = replay === undefined ? name : `${name}-replay-${replay.runId}`;
  return {
    JOB_NAME: `${config.kafka.topicPrefix}${runName}`,
    KAFKA_BOOTSTRAP: `${config.host}:${config.kafka.port}`,
    TOPIC_CLICKS: topics.clicks,
    TOPIC_PIPELINE_OUT: pipelineOutTopic(config),
    GRACE_SECONDS: (config.pipeline.graceMs / 1000).toFixed(3),
    GRACE_MS: config.pipeline.graceMs,
    WINDOW_SECONDS: config.pipeline.windowSeconds,
    WINDOW_MS: config.pipeline.windowSeconds * 1000,
    // One prefix per job version: a new version never fences the old one's transactions.
    TRANSACTIONAL_ID_PREFIX: `${config.kafka.topicPrefix}${runName}-${hash}`,
    STARTUP_MODE: startup.mode,
    STARTUP_TIMESTAMP_OPTION: startup.mode === 'timestamp' ? `'scan.startup.timestamp-millis' = '${startup.fromMs}',` : '',
    BOUNDED_OPTION: replay === undefined ? '' : `'scan.bounded.mode' = 'latest-offset',`,
    OUTPUT_FILTER: outputFilter(replay),
  };
}

/** Cuts full-line comments, then splits on `;` at line ends, keeping the statement set's body apart. */
export function splitStatements(sql: string): { setup: string[]; inserts: string[] } {
  const text = sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n');
  const match = /EXECUTE\s+STATEMENT\s+SET\s+BEGIN([\s\S]*)END\s*;?\s*$/i.exec(text);
  if (match === null || match[1] === undefined) throw new Error('a job file must end with EXECUTE STATEMENT SET BEGIN ... END;');
  const statements = (part: string) => part.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean);
  return { setup: statements(text.slice(0, match.index)), inserts: statements(match[1]) };
}

/** Renders job `name` for this config (a replay run of it when `replay` is given). */
export function renderJob(config: Config, name: string, startup: Startup = { mode: 'earliest-offset' }, replay?: ReplayRange): JobSql {
  const template = readFileSync(jobSqlFile(config, name), 'utf8');
  const identity = fillTemplate(template, templateValues(config, name, { mode: 'earliest-offset' }, 'HASH'));
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  return { name, hash, ...splitStatements(fillTemplate(template, templateValues(config, name, startup, hash, replay))) };
}

/** The Flink job name: `<prefix><name>@<hash>`, so `jobs status` can tell versions apart. */
export const flinkJobName = (config: Config, job: Pick<JobSql, 'name' | 'hash'>) => `${config.kafka.topicPrefix}${job.name}@${job.hash}`;
