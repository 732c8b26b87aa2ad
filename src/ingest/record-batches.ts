/**
 * Message v4's records: the click records of one produce call are merged into one record per
 * topic and partition, a JSON array of their messages, so Kafka, its clients and the job's
 * source pay their per-record costs once per partition and call rather than once per click.
 *
 * Each click still lands in the partition its key (click_id) hashes to, with kafkajs's own
 * partitioner (the Java client's murmur2), as a v3 record keyed by click_id did: every copy of
 * a click_id, of either version, is read in one partition in the order it was written, which is
 * what the engine's "first copy decides" relies on (docs/messages.md).
 */
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import type { OutgoingRecord } from '../shared/messages.ts';

/**
 * A merged value stays well under the broker's 1 MiB record limit and under the producer's
 * request budget: about a thousand clicks.
 */
export const MAX_MERGED_BYTES = 256 * 1024;

/** Partitions of each topic the records name. */
export type PartitionCounts = ReadonlyMap<string, number>;

interface Group {
  topic: string;
  partition: number;
  values: string[];
  bytes: number;
}

/**
 * Merges the keyed records (no explicit partition) per topic and partition, in order: a merged
 * record takes the place of its first member, so a click only ever moves ahead of a heartbeat
 * written in the same call, never behind one, and clicks of one partition keep their order.
 * Records with an explicit partition (heartbeats) pass through as they are.
 */
export function mergeRecords(
  records: readonly OutgoingRecord[],
  counts: PartitionCounts,
  maxBytes = MAX_MERGED_BYTES,
): OutgoingRecord[] {
  const out: (OutgoingRecord | Group)[] = [];
  const open = new Map<string, Group>();
  for (const r of records) {
    if (r.key === null || r.partition !== undefined) {
      out.push(r);
      continue;
    }
    const partition = placeByKey(r.topic, r.key, countOf(counts, r.topic));
    const slot = `${r.topic}\u0000${partition}`;
    const size = Buffer.byteLength(r.value) + 1;
    let group = open.get(slot);
    if (!group || (group.values.length > 0 && group.bytes + size > maxBytes)) {
      group = { topic: r.topic, partition, values: [], bytes: 2 };
      open.set(slot, group);
      out.push(group);
    }
    group.values.push(r.value);
    group.bytes += size;
  }
  return out.map((o) =>
    'values' in o ? { topic: o.topic, partition: o.partition, key: null, value: `[${o.values.join(',')}]` } : o,
  );
}

/** The partition kafkajs would pick for a keyed message, for any partition count. */
export function keyPartitioner(): (topic: string, key: string, partitions: number) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const metadata = new Map<number, PartitionMetadata[]>();
  return (topic, key, partitions) => {
    let partitionMetadata = metadata.get(partitions);
    if (!partitionMetadata) {
      // Only the length matters for a keyed message: murmur2(key) modulo the partition count.
      partitionMetadata = Array.from({ length: partitions }, (_, i) => ({
        partitionErrorCode: 0,
        partitionId: i,
        leader: 0,
        replicas: [0],
        isr: [0],
      }));
      metadata.set(partitions, partitionMetadata);
    }
    return partitioner({ topic, partitionMetadata, message: { key, value: null } });
  };
}

// One for the process: a partitioner made per call drew random bytes for each topic it met.
const placeByKey = keyPartitioner();

function countOf(counts: PartitionCounts, topic: string): number {
  const n = counts.get(topic);
  if (n === undefined || n < 1) throw new Error(`no partition count for topic ${topic}: cannot place its records`);
  return n;
}
