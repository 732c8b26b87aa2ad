/**
 * The one way records reach Kafka. Sends are serialised through a queue: the idempotent
 * producer needs one request in flight to keep its sequence numbers in order, and
 * concurrent HTTP requests share a produce call (group commit), whose click records are merged
 * into one record per partition (message v4, record-batches.ts). A failed send rejects every
 * caller in it and replaces the producer, so a new producer id starts clean sequences.
 */
import type { Kafka, Producer } from 'kafkajs';
import { createProducer } from '../shared/clients.ts';
import type { OutgoingRecord } from '../shared/messages.ts';
import type { IngestMetrics } from './metrics.ts';
import { mergeRecords } from './record-batches.ts';

/** Where the pipeline writes; resolves only when every record is acknowledged (acks=all). */
export interface RecordProducer {
  send(records: readonly OutgoingRecord[]): Promise<void>;
}

// Below the broker's default message.max.bytes (1 MiB), which caps one partition's record batch.
const MAX_REQUEST_BYTES = 768 * 1024;
// How long a topic's partition count is trusted: partitions can be added while the ingest runs.
const PARTITION_COUNT_TTL_MS = 60_000;

interface Waiter {
  records: readonly OutgoingRecord[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class KafkaRecordProducer implements RecordProducer {
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;
  private queue: Waiter[] = [];
  private pumping: Promise<void> | null = null;
  private prepared = false;
  private partitionCounts = new Map<string, { n: number; at: number }>();

  /**
   * `prepare` runs before the first connect that succeeds (the ingest passes ensureTopics), so
   * an ingest that started while Kafka was down still creates its topics once Kafka is back.
   * `partitionCount` asks the broker how many partitions a topic has.
   */
  constructor(
    private readonly kafka: Kafka,
    private readonly metrics: IngestMetrics,
    private readonly partitionCount: (topic: string) => Promise<number>,
    private readonly prepare: () => Promise<unknown> = async () => undefined,
  ) {}

  send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.pumping ??= this.pump().finally(() => (this.pumping = null));
    });
  }

  /** Waits for queued sends, then disconnects. */
  async close(): Promise<void> {
    while (this.pumping) await this.pumping;
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const waiters = this.queue.splice(0);
      try {
        await this.write(waiters.flatMap((w) => w.records));
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
        await this.reset();
      }
    }
  }

  private async write(records: OutgoingRecord[]): Promise<void> {
    const producer = await this.connect();
    const merged = mergeRecords(records, await this.countsFor(records));
    for (const chunk of chunks(merged)) {
      const end = this.metrics.produceSeconds.startTimer();
      await producer.sendBatch({ acks: -1, topicMessages: byTopic(chunk) });
      end();
    }
  }

  private async countsFor(records: OutgoingRecord[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const { topic, key, partition } of records) {
      if (key === null || partition !== undefined || counts.has(topic)) continue;
      const known = this.partitionCounts.get(topic);
      if (known && Date.now() - known.at < PARTITION_COUNT_TTL_MS) {
        counts.set(topic, known.n);
        continue;
      }
      const n = await this.partitionCount(topic);
      if (n < 1) throw new Error(`topic ${topic} has no partitions: is it created?`);
      this.partitionCounts.set(topic, { n, at: Date.now() });
      counts.set(topic, n);
    }
    return counts;
  }

  private connect(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      const p = createProducer(this.kafka);
      try {
        if (!this.prepared) await this.prepare();
        this.prepared = true;
        await p.connect();
        this.producer = p;
        return p;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const old = this.producer;
    this.producer = null;
    this.partitionCounts.clear();
    await old?.disconnect().catch(() => undefined);
  }
}

function* chunks(records: OutgoingRecord[]): Generator<OutgoingRecord[]> {
  let chunk: OutgoingRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    // 64: a record's framing overhead, roughly; the margin under 1 MiB absorbs the error.
    const size = Buffer.byteLength(r.value) + (r.key?.length ?? 0) + 64;
    if (chunk.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

function byTopic(records: OutgoingRecord[]) {
  const topics = new Map<string, { key: string | null; value: string; partition?: number }[]>();
  for (const { topic, key, value, partition } of records) {
    let list = topics.get(topic);
    if (!list) topics.set(topic, (list = []));
    list.push(partition === undefined ? { key, value } : { key, value, partition });
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
