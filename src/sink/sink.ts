/**
 * Kafka to ClickHouse: reads `pipeline_out` (read_committed), writes each record's row to the
 * table it names, and only then lets the batch's offsets be committed. Delivery is at least
 * once; the tables make it exact (a replayed row collapses onto the first). A record that does
 * not decode, or that ClickHouse refuses, goes to the dead-letter table and the sink moves on;
 * ClickHouse being down is not a refusal: the batch is retried, nothing is dead-lettered.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Consumer, Kafka } from 'kafkajs';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { topicNames } from '../shared/names.ts';
import type { DeadLetter, PendingRow, RowWriter } from './clickhouse-writer.ts';
import { writeDeadLetters } from './dead-letters.ts';
import type { SinkMetrics } from './metrics.ts';
import { decodePipelineRecord } from './pipeline-record.ts';

export interface SinkDeps {
  config: Config;
  kafka: Kafka;
  clickhouse: ClickHouseClient;
  writer: RowWriter;
  metrics: SinkMetrics;
  log: Logger;
}

export interface Sink {
  stop(): Promise<void>;
  /** Records dead-lettered since start. */
  deadLettered(): number;
  /** Whether the last write attempt succeeded and the consumer runs (the health check). */
  healthy(): boolean;
  /** Settles with the error when the Kafka consumer has stopped for good (kafkajs will not restart it). */
  crashed: Promise<Error>;
}

export async function startSink({ config, kafka, clickhouse, writer, metrics, log }: SinkDeps): Promise<Sink> {
  const topic = topicNames(config).pipelineOut;
  let dead = 0;
  let lastWriteOk = true;

  const consumer: Consumer = kafka.consumer({
    groupId: `${config.kafka.topicPrefix}tollbooth-sink`,
    readUncommitted: false,
    // 100 ms: provisional counts must be visible within seconds; an idle fetch costs little.
    maxWaitTimeInMs: 100,
  });
  // kafkajs restarts its consumer after a retriable crash; after any other it stays stopped and
  // the process would sit healthy and idle. The caller exits instead, and is restarted.
  let stopForGood: (err: Error) => void = () => undefined;
  const crashed = new Promise<Error>((resolve) => (stopForGood = resolve));
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    lastWriteOk = false;
    log.error({ err: String(payload.error) }, 'sink: the Kafka consumer stopped and will not restart');
    stopForGood(payload.error);
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch, heartbeat }) => {
      const pending: PendingRow[] = [];
      const letters: DeadLetter[] = [];
      for (const message of batch.messages) {
        const source = { topic: batch.topic, partition: batch.partition, offset: message.offset, value: message.value };
        const decoded = decodePipelineRecord(message.value);
        if (decoded.ok) pending.push({ table: decoded.table, row: decoded.row, source });
        else letters.push({ source, target: '', row: undefined, error: decoded.error });
      }
      try {
        letters.push(...(await writer.write(pending)));
        await writeDeadLetters(clickhouse, config.clickhouse.database, letters);
        lastWriteOk = true;
      } catch (err) {
        // Unavailable, not refused: the batch is not resolved, its offsets are not committed, it is retried.
        lastWriteOk = false;
        metrics.outages.inc();
        log.warn(
          { err: String(err), partition: batch.partition, offset: batch.firstOffset() },
          'sink: ClickHouse unavailable, retrying the batch',
        );
        throw err;
      }
      for (const p of pending) metrics.rows.inc({ table: p.table });
      for (const d of letters) {
        dead += 1;
        metrics.deadLetters.inc({ table: d.target || 'undecodable' });
        log.error(
          {
            topic: d.source.topic,
            partition: d.source.partition,
            offset: d.source.offset,
            table: d.target,
            error: d.error,
          },
          'sink: record dead-lettered',
        );
      }
      metrics.lastCommit.setToCurrentTime();
      metrics.lag.set({ partition: String(batch.partition) }, Number(batch.offsetLag()));
      await heartbeat();
    },
  });
  return {
    deadLettered: () => dead,
    healthy: () => lastWriteOk,
    crashed,
    stop: () => consumer.disconnect(),
  };
}
