/** Runs the Kafka-to-ClickHouse sink until SIGTERM or SIGINT. */
import type { Config } from '../shared/config.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import { createKafka } from '../shared/clients.ts';
import { logger } from '../shared/logger.ts';
import { clickhouseWriter } from './clickhouse-writer.ts';
import { startSink } from './sink.ts';

export async function runSink(config: Config): Promise<void> {
  const clickhouse = createClickHouse(config);
  const sink = await startSink({
    config,
    kafka: createKafka(config, 'tollbooth-sink'),
    writer: clickhouseWriter(clickhouse, config.clickhouse.database),
    log: logger.child({ component: 'sink' }),
  });
  logger.info({ database: config.clickhouse.database }, 'sink running');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await sink.stop();
  await clickhouse.close();
}
