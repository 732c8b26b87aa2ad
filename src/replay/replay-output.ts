/**
 * What a replay wrote: the committed records of `pipeline_out` between two offsets, counted by
 * reading them (read_committed), since offsets also hold transaction markers and Flink's own
 * record metrics lag behind a short bounded job.
 */
import type { Kafka } from 'kafkajs';

/** The next offset of the topic's only partition (pipeline_out has one). */
export async function endOffset(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [p] = await admin.fetchTopicOffsets(topic);
    return Number(p?.high ?? 0);
  } finally {
    await admin.disconnect();
  }
}

// A bounded read of a topic already written: give up after this long without reaching the end.
const COUNT_DEADLINE_MS = 60_000;

/** Committed records in [from, to) of partition 0, and how many rows of each table they hold. */
export async function countRecords(
  kafka: Kafka,
  topic: string,
  from: number,
  to: number,
  groupId: string,
): Promise<{ records: number; byTable: Record<string, number> }> {
  const byTable: Record<string, number> = {};
  let records = 0;
  if (to <= from) return { records, byTable };
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`could not read ${topic} up to offset ${to}`)),
        COUNT_DEADLINE_MS,
      );
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            if (Number(m.offset) >= to) break;
            records += 1;
            const table = /"table":"([a-z0-9_]+)"/.exec(m.value?.toString() ?? '')?.[1] ?? 'other';
            byTable[table] = (byTable[table] ?? 0) + 1;
          }
          // Transaction markers occupy offsets too: the end is reached when the fetch passes `to`.
          if (Number(batch.highWatermark) >= to && (batch.isEmpty() || Number(batch.lastOffset()) >= to - 1)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      consumer.on(consumer.events.GROUP_JOIN, () => consumer.seek({ topic, partition: 0, offset: String(from) }));
    });
    await done;
    return { records, byTable };
  } finally {
    await consumer.disconnect();
  }
}
