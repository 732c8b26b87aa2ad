import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseSamples, summarizeSamples, threadGroup, type JfrSample } from './jfr-summary.ts';

// The shape `jfr print --events jdk.ExecutionSample` writes (JDK 17), cut to what is read.
const PUT_INT = 'org.apache.flink.core.memory.MemorySegment.putInt(int, int) line: 1';
const RESET = 'org.apache.flink.table.runtime.util.collections.binary.BytesMap.resetBucketSegments(List) line: 2';
const event = (thread: string, frames: string[]) => `jdk.ExecutionSample {
  startTime = 11:19:15.679
  sampledThread = "${thread}" (javaThreadId = 1033)
  state = "STATE_RUNNABLE"
  stackTrace = [
${frames.map((f) => `    ${f}`).join('\n')}
  ]
}
`;
const PRINTED = [
  event('Source: clicks_source[36] -> (Calc[37], Calc[48] -> LocalWindowAggregate[49]) (1/1)#0', [PUT_INT, RESET]),
  event('WindowAggregate[70] -> Calc[71] (1/1)#3', [PUT_INT, RESET, RESET, '...']),
].join('\n');

const read = async (text: string) => {
  const out: JfrSample[] = [];
  for await (const s of parseSamples(createInterface({ input: Readable.from([text]) }))) out.push(s);
  return out;
};

describe('JFR summary', () => {
  it('reads each sample with its thread and its frames, top first', async () => {
    const samples = await read(PRINTED);
    expect(samples).toHaveLength(2);
    expect(samples[1]).toEqual({
      thread: 'WindowAggregate[70] -> Calc[71] (1/1)#3',
      frames: [
        'org.apache.flink.core.memory.MemorySegment.putInt',
        'org.apache.flink.table.runtime.util.collections.binary.BytesMap.resetBucketSegments',
        'org.apache.flink.table.runtime.util.collections.binary.BytesMap.resetBucketSegments',
      ],
    });
  });

  it('groups a task thread by its operators, whatever its subtask, attempt and ids', () => {
    expect(threadGroup('WindowAggregate[70] -> Calc[71] (1/1)#3')).toBe('WindowAggregate -> Calc');
    expect(threadGroup('kafka-producer-network-thread | producer-test_x_clicks_pipeline-ab-0-42')).toBe(
      'kafka-producer-network-thread | producer',
    );
  });

  it('counts a method once per sample in the inclusive table, on top only in the self table', async () => {
    const summary = summarizeSamples(await read(PRINTED), 10);
    expect(summary).toMatch(/^2 execution samples/);
    expect(summary).toContain('| org.apache.flink.core.memory.MemorySegment.putInt | 2 | 100.0% |');
    expect(summary).toContain(
      '| org.apache.flink.table.runtime.util.collections.binary.BytesMap.resetBucketSegments | 2 | 100.0% |',
    );
    expect(summary).toContain('| WindowAggregate -> Calc | 1 | 50.0% |');
    expect(summary.split('\n').filter((l) => l.includes('resetBucketSegments'))).toHaveLength(1);
  });
});
