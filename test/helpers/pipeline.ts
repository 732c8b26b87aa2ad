/**
 * A whole counting pipeline for one test: its own topics, ClickHouse database and Flink job
 * (all under a unique prefix, deployed by the real migrations), and a sink running in-process.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka, Producer } from 'kafkajs';
import { environmentWith, loadConfig, type Config } from '../../src/shared/config.ts';
import { createClickHouse, sqlIdentifier } from '../../src/shared/clickhouse.ts';
import { logger } from '../../src/shared/logger.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { createMigrator, type Migrator } from '../../src/migrate/migrator.ts';
import { clickhouseWriter } from '../../src/sink/clickhouse-writer.ts';
import { SinkMetrics } from '../../src/sink/metrics.ts';
import { TableColumns } from '../../src/sink/table-columns.ts';
import { startSink, type Sink } from '../../src/sink/sink.ts';
import { deleteTopics, testKafka } from './kafka.ts';
import { assertTestResource, testPrefix } from './prefix.ts';

export interface TestPipeline {
  config: Config;
  kafka: Kafka;
  producer: Producer;
  clickhouse: ClickHouseClient;
  migrator: Migrator;
  sink: Sink;
  rows<T>(query: string): Promise<T[]>;
  close(): Promise<void>;
}

const quiet = logger.child({ component: 'test-pipeline' }, { level: 'warn' });

/** `migrateTo`: apply the migrations up to and including this one only (a test of a later one). */
export async function startTestPipeline(
  area: string,
  env: Record<string, string> = {},
  opts: { migrateTo?: string } = {},
): Promise<TestPipeline> {
  const prefix = testPrefix(area);
  const config = loadConfig(
    environmentWith({ TOLLBOOTH_TOPIC_PREFIX: prefix, TOLLBOOTH_CLICKHOUSE_DATABASE: `${prefix}db`, ...env }),
  );
  const kafka = testKafka(config, `${prefix}test`);
  const clickhouse = createClickHouse(config);
  const migrator = await createMigrator(config, quiet);
  await migrator.up({ to: opts.migrateTo });
  const database = config.clickhouse.database;
  const writer = clickhouseWriter(clickhouse, database, new TableColumns(clickhouse, database));
  const sink = await startSink({ config, kafka, clickhouse, writer, metrics: new SinkMetrics(), log: quiet });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const rows = async <T>(query: string): Promise<T[]> => {
    const rs = await clickhouse.query({ query, format: 'JSONEachRow' });
    return (await rs.json()) as T[];
  };
  const close = async () => {
    await producer.disconnect();
    await sink.stop();
    for (const job of await migrator.context.jobs.status()) {
      if (!['FINISHED', 'CANCELED', 'FAILED', 'UNKNOWN'].includes(job.state))
        await migrator.context.jobs.rest.cancelJob(job.jobId);
    }
    const db = config.clickhouse.database;
    assertTestResource(db);
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${sqlIdentifier(db)}` });
    const topics = topicNames(config);
    await deleteTopics(kafka, [topics.clicks, topics.rejected, topics.pipelineOut]);
    await migrator.close();
    await clickhouse.close();
  };
  return { config, kafka, producer, clickhouse, migrator, sink, rows, close };
}
