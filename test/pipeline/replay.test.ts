/**
 * Replay (Kappa): after the window counts and late clicks are wiped from ClickHouse,
 * `replay` recomputes them from Kafka with the same job SQL, and every count equals the ledger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runReplay } from '../../src/flink/replay.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.ts';
import { runScenario } from '../helpers/scenario.ts';
import { expectCountsToMatch } from '../helpers/expect-counts.ts';
import { pipelineCounts } from '../helpers/pipeline-counts.ts';

const FAST = { TOLLBOOTH_WINDOW_SECONDS: '2', TOLLBOOTH_GRACE_MS: '500', TOLLBOOTH_CHECKPOINT_INTERVAL_MS: '1000' };

let pipeline: TestPipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

describe('replay', () => {
  it('rebuilds wiped window counts and late clicks from Kafka, with the same numbers', async () => {
    const p = await startTestPipeline('replay', FAST);
    pipeline = p;
    const t0 = Date.UTC(2026, 0, 1, 7, 0, 0);
    const rounds = 4;
    const ledger = await runScenario(p, { rounds, ads: ['ad-a', 'ad-b'], t0, seed: 41 });
    await expectCountsToMatch(p, ledger);

    const db = p.config.clickhouse.database;
    await p.clickhouse.command({ query: `TRUNCATE TABLE ${db}.ad_clicks_minute_log` });
    await p.clickhouse.command({ query: `TRUNCATE TABLE ${db}.clicks_late` });
    expect(await pipelineCounts(p).windows()).toEqual({});

    const progress: string[] = [];
    const result = await runReplay(p.config, p.clickhouse, { fromMs: t0, toMs: t0 + rounds * 2000 }, (m) => progress.push(m));
    expect(result.jobId).toMatch(/^[0-9a-f]{32}$/);
    expect(progress.some((m) => m.includes('records read'))).toBe(true);
    await expectCountsToMatch(p, ledger);
  });

  it('refuses a range whose windows are not final yet', async () => {
    const p = await startTestPipeline('replay2', FAST);
    pipeline = p;
    await expect(runReplay(p.config, p.clickhouse, { fromMs: Date.now(), toMs: Date.now() + 60_000 }, () => {})).rejects.toThrow(/only final windows/);
  });
});
