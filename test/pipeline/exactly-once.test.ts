/**
 * The heart of Tollbooth: a generated stream with a ground-truth ledger (retried click_ids,
 * out-of-order clicks within the grace, late clicks beyond it, several ads over several windows)
 * goes through the real Flink job and sink; every count in ClickHouse must equal the ledger.
 */
import { describe, expect, it } from 'vitest';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';
import { expectCountsToMatch } from '../helpers/expect-counts.ts';
import { runScenario } from '../helpers/scenario.ts';

const startPipeline = usePipelines();

describe('clicks_pipeline counts exactly once', () => {
  it('with 2-second windows: final windows, hours, late and rejected counts equal the ledger', async () => {
    const pipeline = await startPipeline('e2e', FAST_WINDOWS);
    const ledger = await runScenario(pipeline, {
      rounds: 6,
      ads: ['ad-a', 'ad-b', 'ad-c'],
      t0: Date.UTC(2026, 0, 1, 0, 59, 50),
      seed: 7,
    });
    await expectCountsToMatch(pipeline, ledger);
  });

  it('with the default 1-minute window, across an hour boundary', async () => {
    const pipeline = await startPipeline('e2e60', { TOLLBOOTH_CHECKPOINT_INTERVAL_MS: '1000' });
    expect(pipeline.config.pipeline.windowSeconds).toBe(60);
    const ledger = await runScenario(pipeline, {
      rounds: 4,
      ads: ['ad-x', 'ad-y'],
      t0: Date.UTC(2026, 0, 1, 0, 58, 0),
      seed: 11,
    });
    await expectCountsToMatch(pipeline, ledger);
  });
});
