/** Compares every count in ClickHouse with the ledger. */
import { expect } from 'vitest';
import type { Ledger } from './ledger.ts';
import { pipelineCounts } from './pipeline-counts.ts';
import type { TestPipeline } from './pipeline.ts';
import { eventually } from './prefix.ts';

/** Polls until ClickHouse agrees with the ledger, then asserts (so a mismatch prints its diff). */
export async function expectCountsToMatch(p: TestPipeline, ledger: Ledger): Promise<void> {
  const counts = pipelineCounts(p);
  const read = async () => ({
    windows: await counts.windows(),
    late: await counts.late(),
    rejected: await counts.rejected(),
    hours: await counts.hours(),
  });
  const expected = {
    windows: ledger.expectedWindows(),
    late: ledger.expectedLate(),
    rejected: ledger.expectedRejected(),
    hours: ledger.expectedHours(),
  };
  const actual = await eventually(
    async () => {
      const now = await read();
      return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
    },
    60_000,
    'ClickHouse to match the ledger',
  ).catch(async () => read());
  expect(actual).toEqual(expected);
}
