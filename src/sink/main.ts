/** Runs the Kafka-to-ClickHouse sink until SIGTERM or SIGINT. */
import type { Config } from '../shared/config.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import { createKafka } from '../shared/clients.ts';
import { logger } from '../shared/logger.ts';
import { clickhouseWriter } from './clickhouse-writer.ts';
import { insertQuorumSettings } from './insert-quorum.ts';
import { startSinkHttp } from './http.ts';
import { SinkMetrics } from './metrics.ts';
import { startSink } from './sink.ts';
import { TableColumns } from './table-columns.ts';

export async function runSink(config: Config): Promise<void> {
  // On a cluster: every replica's client, and each insert on all of them before it is acknowledged.
  const settings = insertQuorumSettings(config);
  const clickhouse = createClickHouse(config, settings === undefined ? {} : { settings });
  const metrics = new SinkMetrics();
  const database = config.clickhouse.database;
  const sink = await startSink({
    config,
    kafka: createKafka(config, 'tollbooth-sink'),
    clickhouse,
    writer: clickhouseWriter(clickhouse, database, new TableColumns(clickhouse, database)),
    metrics,
    log: logger.child({ component: 'sink' }),
  });
  const http = await startSinkHttp(config.bindHost, config.sink.port, metrics, sink.healthy);
  logger.info({ database, port: config.sink.port }, 'sink running');
  const signalled = new Promise<undefined>((resolve) => {
    const stop = () => resolve(undefined);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  const crash = await Promise.race([signalled, sink.crashed]);
  await http.close();
  await sink.stop();
  await clickhouse.close();
  // Exits non-zero: the supervisor (or the container's restart policy) starts a fresh sink,
  // which resumes from the last committed offsets.
  if (crash !== undefined) throw new Error(`the sink's Kafka consumer stopped: ${crash.message}; restart the sink`);
}
