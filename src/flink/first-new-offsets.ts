/**
 * Where a job version stopped reading: its Kafka source commits the offsets of every completed
 * checkpoint (and of its final savepoint) under the consumer group named after the job. A
 * rebuilt version reads from the earliest offset again and uses these to tell the records the
 * previous version already counted in summed outputs from the new ones (docs/migrations.md).
 */
import type { Config } from '../shared/config.ts';
import { createKafka } from '../shared/clients.ts';
import { jobGroupId, topicNames } from '../shared/names.ts';
import type { FirstNewOffsets } from './job-placeholders.ts';

export async function firstNewOffsets(config: Config, job: string): Promise<FirstNewOffsets> {
  const topics = topicNames(config);
  const admin = createKafka(config, 'tollbooth-deploy').admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({
      groupId: jobGroupId(config, job),
      topics: [topics.clicks, topics.rejected],
    });
    const of = (topic: string) =>
      // -1: nothing committed on that partition, so the previous version read none of it.
      new Map(
        (committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [
          p.partition,
          Math.max(0, Number(p.offset)),
        ]),
      );
    return { clicks: of(topics.clicks), rejected: of(topics.rejected) };
  } finally {
    await admin.disconnect();
  }
}
