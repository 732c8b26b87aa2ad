/**
 * Every Kafka topic and every ClickHouse table or view that TypeScript refers to, named once.
 * The tables are made by the SQL migrations; a unit test checks that each name here is created
 * by some migration file, so a rename in SQL cannot leave the code behind.
 */
import type { Config } from './config.ts';

export interface Topics {
  /** Accepted clicks and heartbeats, written by the ingest. */
  clicks: string;
  /** Every other decided verdict, written by the ingest. */
  rejected: string;
  /** The Flink jobs' output: `{table, row}` records for the sink. */
  pipelineOut: string;
}

export function topicNames(config: Config): Topics {
  const p = config.kafka.topicPrefix;
  return { clicks: `${p}clicks`, rejected: `${p}clicks_rejected`, pipelineOut: `${p}pipeline_out` };
}

/** A Flink job's Kafka consumer group (`${JOB_NAME}` in its file): the job's name with the prefix. */
export const jobGroupId = (config: Config, job: string): string => `${config.kafka.topicPrefix}${job}`;

/** The ClickHouse objects the API, the sink and the tools read or write by name. */
export const TABLES = {
  finalMinutes: 'ad_clicks_minute',
  finalHours: 'ad_clicks_hour',
  provisional: 'ad_clicks_provisional',
  windowsClosed: 'windows_closed',
  rejectedMinutes: 'ad_rejected_minute',
  lateMinutes: 'ad_late_minute',
  lateClicks: 'clicks_late',
  adCampaigns: 'ad_campaigns',
  deadLetters: 'dead_letters',
} as const;

/** Tables the pipeline must never write through `pipeline_out` (the runner's own bookkeeping). */
export const PROTECTED_TABLES: readonly string[] = ['schema_migrations', 'flink_jobs', TABLES.deadLetters];
