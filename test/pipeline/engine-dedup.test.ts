/**
 * The engine counts each click_id at most once within the dedup horizon, on time or late:
 * a copy written twice (a timed-out write that landed) is counted once even when the second
 * copy arrives after its window closed, and a click_id reused for another ad counts only where
 * it was first seen. The ingest prevents both; this proves the engine holds on its own.
 */
import { describe, expect, it } from 'vitest';
import { topicNames, type Message } from '../../src/shared/messages.ts';
import { clickMessage } from '../helpers/ledger.ts';
import { pipelineCounts, settled } from '../helpers/pipeline-counts.ts';
import type { TestPipeline } from '../helpers/pipeline.ts';
import { closeThrough } from '../helpers/close-windows.ts';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';

const startPipeline = usePipelines();

async function send(p: TestPipeline, messages: Message[]): Promise<void> {
  await p.producer.send({
    topic: topicNames(p.config).clicks,
    messages: messages.map((m) => ({ key: 'click_id' in m ? m.click_id : null, value: JSON.stringify(m) })),
  });
}

describe('engine dedup across the horizon', () => {
  it('counts a twice-written click once, on time, even when the second copy is late; a reused click_id only on its first ad', async () => {
    const p = await startPipeline('edup', FAST_WINDOWS);
    const W = p.config.pipeline.windowSeconds * 1000;
    const t0 = Date.UTC(2026, 0, 2, 3, 0, 0);
    const twice = clickMessage('twice-1', 'ad-1', t0 + 100);
    const reused = clickMessage('reused-1', 'ad-1', t0 + 200);
    const late = clickMessage('late-1', 'ad-3', t0 + 300);

    await send(p, [twice, reused, { ...reused, ad_id: 'ad-2', user_id: 'someone-else' }]);
    await closeThrough(p, t0 + W);
    // The second copy of `twice` lands after its window closed; `late` is late on its first copy.
    await send(p, [twice, late, late]);
    await closeThrough(p, t0 + 2 * W);

    const counts = pipelineCounts(p);
    const minute = t0 - (t0 % 60_000);
    const want = { windows: { [`ad-1|${t0}`]: 2 }, late: { [`ad-3|${minute}`]: 1 } };
    const got = await settled(async () => ({ windows: await counts.windows(), late: await counts.late() }), want);
    expect(got).toEqual(want);
    // Provisional (pre-aggregated) counts agree with the final ones.
    const provisional = await p.rows<{ ad_id: string; clicks: string }>(
      `SELECT ad_id, clicks FROM ${p.config.clickhouse.database}.ad_clicks_provisional ORDER BY ad_id`,
    );
    expect(provisional.map((r) => [r.ad_id, Number(r.clicks)])).toEqual([['ad-1', 2]]);
  });
});
