/**
 * Replay (Kappa): after the window counts and late clicks are wiped from ClickHouse,
 * `replay` recomputes them from Kafka with the same job SQL, and every count equals the ledger.
 */
import { describe, expect, it } from 'vitest';
import { JobRegistry } from '../../src/flink/job-registry.ts';
import { runReplay } from '../../src/replay/replay.ts';
import { deployedJobMigration } from '../../src/migrate/deployed-job.ts';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';
import { runScenario } from '../helpers/scenario.ts';
import { expectCountsToMatch } from '../helpers/expect-counts.ts';
import { pipelineCounts } from '../helpers/pipeline-counts.ts';

const startPipeline = usePipelines();

type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
const deployed = (p: Pipeline, job = 'clicks_pipeline') =>
  deployedJobMigration(p.config, new JobRegistry(p.clickhouse, p.config.clickhouse.database), job);

describe('replay', () => {
  it('rebuilds wiped window counts and late clicks from Kafka, with the same numbers', async () => {
    const p = await startPipeline('replay', FAST_WINDOWS);
    const t0 = Date.UTC(2026, 0, 1, 7, 0, 0);
    const rounds = 4;
    const ledger = await runScenario(p, { rounds, ads: ['ad-a', 'ad-b'], t0, seed: 41 });
    await expectCountsToMatch(p, ledger);

    const db = p.config.clickhouse.database;
    await p.clickhouse.command({ query: `TRUNCATE TABLE ${db}.ad_clicks_minute_log` });
    await p.clickhouse.command({ query: `TRUNCATE TABLE ${db}.clicks_late` });
    expect(await pipelineCounts(p).windows()).toEqual({});

    const progress: string[] = [];
    const job = await deployed(p);
    const result = await runReplay(p.config, p.clickhouse, job, { fromMs: t0, toMs: t0 + rounds * 2000 }, (m) =>
      progress.push(m),
    );
    expect(result.jobId).toMatch(/^[0-9a-f]{32}$/);
    // It says what it did: the rows it emitted, by table (final counts and markers of 4 windows, late clicks).
    expect(result.byTable['ad_clicks_minute_log']).toBeGreaterThan(0);
    expect(result.byTable['clicks_late']).toBeGreaterThan(0);
    expect(result.byTable['ad_clicks_partial']).toBeUndefined();
    expect(progress.at(-1)).toMatch(new RegExp(`finished: ${result.rowsEmitted} rows emitted`));
    await expectCountsToMatch(p, ledger);
  });

  it('refuses a range whose windows are not final yet', async () => {
    const p = await startPipeline('replay2', FAST_WINDOWS);
    await expect(
      runReplay(p.config, p.clickhouse, await deployed(p), { fromMs: Date.now(), toMs: Date.now() + 60_000 }, () => {}),
    ).rejects.toThrow(/only final windows/);
    // Only a deployed job can be replayed, and it is named in the refusal.
    await expect(deployed(p, 'no_such_job')).rejects.toThrow(/job no_such_job was never deployed/);
  });
});
