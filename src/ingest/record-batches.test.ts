import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { OutgoingRecord } from '../shared/messages.ts';
import { keyPartitioner, mergeRecords } from './record-batches.ts';

const click = (id: string, topic = 'clicks'): OutgoingRecord => ({ topic, key: id, value: `{"id":"${id}"}` });
const beat = (partition: number): OutgoingRecord => ({ topic: 'clicks', partition, key: null, value: '{"hb":1}' });
const ids = (r: OutgoingRecord) => (JSON.parse(r.value) as { id: string }[]).map((m) => m.id);
const counts = new Map([
  ['clicks', 4],
  ['clicks_rejected', 4],
]);

describe('mergeRecords', () => {
  const place = keyPartitioner();
  const keys = Array.from({ length: 40 }, (_, i) => `c-${i}`);

  it('puts each click in the partition kafkajs gives its key, whatever the leaders', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2, 3].map((partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: partitionId === 2 ? -1 : 1,
      replicas: [1],
      isr: [1],
    }));
    for (const key of keys)
      expect(place('clicks', key, 4)).toBe(
        kafkajs({ topic: 'clicks', partitionMetadata, message: { key, value: null } }),
      );
    expect(new Set(keys.map((k) => place('clicks', k, 4))).size).toBe(4);
  });

  it('writes one keyless array record per topic and partition, members in their order', () => {
    const records = [...keys.map((k) => click(k)), click('r-1', 'clicks_rejected')];
    const merged = mergeRecords(records, counts);
    expect(merged.filter((r) => r.topic === 'clicks')).toHaveLength(4);
    for (const r of merged) {
      expect(r.key).toBeNull();
      expect(ids(r).every((id) => place(r.topic, id, 4) === r.partition)).toBe(true);
    }
    expect(merged.flatMap((r) => (r.topic === 'clicks' ? ids(r) : [])).sort()).toEqual([...keys].sort());
    for (const p of [0, 1, 2, 3]) {
      const inP = keys.filter((k) => place('clicks', k, 4) === p);
      expect(ids(merged.find((r) => r.topic === 'clicks' && r.partition === p) as OutgoingRecord)).toEqual(inP);
    }
    expect(merged.filter((r) => r.topic === 'clicks_rejected').map(ids)).toEqual([['r-1']]);
  });

  it('passes heartbeats through and moves a click only ahead of one, never behind', () => {
    const [a, b] = keys.filter((k) => place('clicks', k, 4) === 0);
    const merged = mergeRecords([beat(0), click(a as string), beat(1), click(b as string), beat(0)], counts);
    expect(
      merged.map((r) => (r.key === null && r.partition !== undefined && r.value === '{"hb":1}' ? 'hb' : ids(r))),
    ).toEqual(['hb', [a, b], 'hb', 'hb']);
  });

  it('starts a new record of the partition when one would pass the size limit', () => {
    const inZero = Array.from({ length: 200 }, (_, i) => `c-${100 + i}`)
      .filter((k) => place('clicks', k, 4) === 0)
      .slice(0, 5);
    const size = Buffer.byteLength(click(inZero[0] as string).value) + 1;
    const merged = mergeRecords(
      inZero.map((k) => click(k)),
      counts,
      2 + size * 2,
    );
    expect(merged.map(ids)).toEqual([inZero.slice(0, 2), inZero.slice(2, 4), inZero.slice(4)]);
    expect(merged.every((r) => Buffer.byteLength(r.value) <= 2 + size * 2)).toBe(true);
  });

  it('refuses a topic whose partition count it was not given', () => {
    expect(() => mergeRecords([click('c', 'other')], counts)).toThrow(/no partition count for topic other/);
  });
});
