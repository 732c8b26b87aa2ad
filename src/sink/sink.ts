/**
 * Kafka to ClickHouse: reads `clicks`, `clicks_rejected` and `pipeline_out` (read_committed),
 * inserts each batch, and only then lets its offsets be committed. Delivery is at least once;
 * the tables make it exact (a replayed row collapses onto the first).
 */
import type { Consumer, Kafka } from 'kafkajs';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { topicNames } from '../shared/messages.ts';
import { pipelineOutTopic } from '../shared/pipeline-messages.ts';
import { ingestRow, pipelineRow, type RecordRef, type Row, type RowOutcome, type Table } from './rows.ts';
import type { RowWriter } from './clickhouse-writer.ts';

export interface SinkDeps {
  config: Config;
  kafka: Kafka;
  writer: RowWriter;
  log: Logger;
}

export interface Sink {
  stop(): Promise<void>;
  /** Records that did not match the message format (logged with topic and offset). */
  malformed(): number;
}

export async function startSink({ config, kafka, writer, log }: SinkDeps): Promise<Sink> {
  const topics = topicNames(config);
  const pipelineTopic = pipelineOutTopic(config);
  const windowMs = config.pipeline.windowSeconds * 1000;
  const toRow = (topic: string, r: RecordRef): RowOutcome => (topic === pipelineTopic ? pipelineRow(r) : ingestRow(r, windowMs));
  let malformed = 0;

  const consumer: Consumer = kafka.consumer({
    groupId: `${config.kafka.topicPrefix}tollbooth-sink`,
    readUncommitted: false,
    // 100 ms: provisional counts must be visible within seconds; an idle fetch costs little.
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.clicks, topics.rejected, pipelineTopic], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch, heartbeat }) => {
      const rows = new Map<Table, Row[]>();
      for (const message of batch.messages) {
        const outcome = toRow(batch.topic, { value: message.value, partition: batch.partition, offset: message.offset });
        if (!outcome.ok) {
          malformed += 1;
          log.error({ topic: batch.topic, partition: batch.partition, offset: message.offset, error: outcome.error }, 'sink: record does not match the message format');
          continue;
        }
        if (outcome.table === null) continue;
        const list = rows.get(outcome.table) ?? [];
        list.push(outcome.row);
        rows.set(outcome.table, list);
      }
      // A failed insert throws: the batch is not resolved, its offsets are not committed, it is retried.
      await writer.write(rows);
      await heartbeat();
    },
  });
  return {
    malformed: () => malformed,
    stop: () => consumer.disconnect(),
  };
}
