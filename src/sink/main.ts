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
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await http.close();
  await sink.stop();
  await clickhouse.close();
}
