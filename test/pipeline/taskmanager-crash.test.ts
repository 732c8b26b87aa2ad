/**
 * Fault: the Flink TaskManager is killed with SIGKILL in the middle of the stream and started
 * again (by the stack's supervisor when one runs, as in CI; by the test otherwise). The job restores from its latest checkpoint, replays from the checkpointed offsets,
 * and every count still equals the ledger: nothing lost, nothing counted twice.
 */
import { describe, expect, it } from 'vitest';
import { killHard } from '../../src/stack/process.ts';
import { startFlinkProcess } from '../../src/stack/flink.ts';
import { pidFile, stackContext } from '../../src/stack/service.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { supervisorPid } from '../../src/supervisor/control.ts';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';
import { runScenario } from '../helpers/scenario.ts';
import { eventually } from '../helpers/prefix.ts';
import { expectCountsToMatch } from '../helpers/expect-counts.ts';

const startPipeline = usePipelines();

describe('clicks_pipeline survives a TaskManager crash', () => {
  it('counts exactly once across a SIGKILL of the TaskManager and its restart', async () => {
    const p = await startPipeline('tmkill', FAST_WINDOWS);
    const [job] = await p.migrator.context.jobs.status();
    if (job === undefined) throw new Error('no job deployed');
    const ctx = stackContext(loadConfig());
    const ledger = await runScenario(p, {
      rounds: 8,
      ads: ['ad-a', 'ad-b', 'ad-c'],
      t0: Date.UTC(2026, 0, 1, 3, 0, 0),
      seed: 23,
      afterRound: async (round) => {
        if (round !== 4) return;
        // A checkpoint has completed by now; the kill lands between checkpoints.
        await eventually(
          async () => (await p.migrator.context.jobs.rest.latestCheckpointPath(job.jobId)) ?? undefined,
          30_000,
          'a checkpoint',
        );
        expect(killHard(pidFile(ctx, 'flink-taskmanager'))).toBeDefined();
        // Two restarters would race and start two TaskManagers: the supervisor's job when it runs.
        if (supervisorPid(ctx.config) === undefined) startFlinkProcess(ctx, 'flink-taskmanager');
      },
    });
    await expectCountsToMatch(p, ledger);
    // Proof that the job really failed over and came back from a checkpoint (the REST API's
    // view is cached for a few seconds, hence the polling).
    const restored = await eventually(
      async () => (await p.migrator.context.jobs.rest.restoredFrom(job.jobId)) ?? undefined,
      30_000,
      'the restore to show',
    );
    expect(restored).toMatch(/chk-\d+/);
  });
});
