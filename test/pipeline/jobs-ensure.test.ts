/**
 * `jobs ensure`: a job that should run and does not (here: cancelled behind the registry's back,
 * as a JobManager restart would lose it) is restarted from its latest retained checkpoint, and
 * the counts stay exact across the gap.
 */
import { describe, expect, it } from 'vitest';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';
import { runScenario } from '../helpers/scenario.ts';
import { expectCountsToMatch } from '../helpers/expect-counts.ts';
import { eventually } from '../helpers/prefix.ts';

const startPipeline = usePipelines();

describe('jobs ensure', () => {
  it('restarts a lost job from its latest retained checkpoint, and the counts stay exact', async () => {
    const p = await startPipeline('ensure', FAST_WINDOWS);
    const { jobs } = p.migrator.context;
    const [before] = await jobs.status();
    if (before === undefined) throw new Error('no job deployed');
    let report: Awaited<ReturnType<typeof jobs.ensure>> = [];
    const ledger = await runScenario(p, {
      rounds: 6,
      ads: ['ad-a', 'ad-b'],
      t0: Date.UTC(2026, 0, 1, 9, 0, 0),
      seed: 53,
      afterRound: async (round) => {
        if (round !== 3) return;
        await eventually(
          async () => (await jobs.rest.latestCheckpointPath(before.jobId)) ?? undefined,
          30_000,
          'a checkpoint',
        );
        await jobs.rest.cancelJob(before.jobId);
        expect((await jobs.ensure())[0]?.action).toBe('restarted');
        report = await jobs.ensure();
      },
    });
    // The second ensure found the restarted job running and left it alone.
    expect(report).toEqual([{ name: 'clicks_pipeline', action: 'running' }]);
    const [after] = await jobs.status();
    expect(after?.jobId).not.toBe(before.jobId);
    expect(after?.state).toBe('RUNNING');
    // The REST API caches checkpoint stats for a few seconds, hence the polling.
    const restored = await eventually(
      async () => (await jobs.rest.restoredFrom(after?.jobId ?? '')) ?? undefined,
      30_000,
      'the restore to show',
    );
    expect(restored).toContain(`${before.jobId}/chk-`);
    await expectCountsToMatch(p, ledger);
  });
});
