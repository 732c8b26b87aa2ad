/**
 * What the job must have seen, read back from the `clicks` topic: every copy of every click_id
 * in partition order, classified on time or late with the job's own predicate (a click is late
 * when its partition's running maximum event time, heartbeats included, minus the grace has
 * reached its window's last millisecond: migrations/*_clicks_pipeline.flink.sql). A click_id with
 * an on-time copy and a late copy was counted in both outputs by the first job version (0003);
 * since 0006 only its first copy counts, so such a double count is a regression, told apart
 * here from any other over-count.
 */
import type { Config } from '../../src/shared/config.ts';
import { decodeRecord } from '../../src/shared/messages.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { testKafka } from '../helpers/kafka.ts';
import { eventually } from '../helpers/prefix.ts';

export interface KafkaTruth {
  /** click_ids with a copy on time and a copy late. */
  onTimeAndLate: Set<string>;
}

export async function readKafkaTruth(config: Config): Promise<KafkaTruth> {
  const topic = topicNames(config).clicks;
  const kafka = testKafka(config, `${config.kafka.topicPrefix}truth`);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  await admin.disconnect();
  const byPartition = new Map<number, Array<{ offset: number; kind: string; id: string | null; ts: number }>>();
  const consumer = kafka.consumer({ groupId: `${config.kafka.topicPrefix}truth_${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const list = byPartition.get(partition) ?? [];
        // A v4 record holds several messages under one offset, in the order the job reads them (a stable sort keeps it).
        for (const d of decodeRecord(message.value)) {
          if (!d.ok) continue;
          const m = d.message;
          list.push({
            offset: Number(message.offset),
            kind: m.kind,
            // The job counts each (sender, click_id) once: a record without sender is the unscoped namespace.
            id: m.kind === 'heartbeat' ? null : `${m.sender ?? ''}\n${m.click_id}`,
            ts: m.ts,
          });
        }
        byPartition.set(partition, list);
      },
    });
    await eventually(
      async () =>
        [...ends].every(([p, end]) => (byPartition.get(p)?.at(-1)?.offset ?? -1) >= end - 1) ? true : undefined,
      120_000,
      `the whole of ${topic}`,
    );
  } finally {
    await consumer.disconnect();
  }
  const W = config.pipeline.windowSeconds * 1000;
  const onTime = new Set<string>();
  const late = new Set<string>();
  for (const records of byPartition.values()) {
    let maxTs = Number.MIN_SAFE_INTEGER;
    for (const r of records.sort((a, b) => a.offset - b.offset)) {
      maxTs = Math.max(maxTs, r.ts);
      if (r.kind !== 'click' || r.id === null) continue;
      const windowLast = r.ts - (r.ts % W) + W - 1;
      (windowLast > maxTs - config.pipeline.graceMs ? onTime : late).add(r.id);
    }
  }
  return { onTimeAndLate: new Set([...onTime].filter((id) => late.has(id))) };
}
