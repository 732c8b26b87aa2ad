/**
 * Sender scope in the engine: a click_id lives in its sender's namespace, so the job counts each
 * (sender, click_id) once, on time, late and rejected alike; two senders' clicks with one
 * click_id are two clicks. A record of the format before senders (v2, no `sender`) is in the
 * unscoped namespace and is still counted once.
 */
import { describe, expect, it } from 'vitest';
import { topicNames, type ClickMessage, type RejectedMessage } from '../../src/shared/messages.ts';
import { clickMessage } from '../helpers/ledger.ts';
import { pipelineCounts, settled } from '../helpers/pipeline-counts.ts';
import type { TestPipeline } from '../helpers/pipeline.ts';
import { closeThrough } from '../helpers/close-windows.ts';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';

const startPipeline = usePipelines();

/** A click as the ingest wrote it before v3: no sender. */
function v2Click(id: string, ad: string, ts: number): string {
  return JSON.stringify({ ...clickMessage(id, ad, ts), v: 2, sender: undefined });
}

const rejected = (m: ClickMessage): RejectedMessage => ({ ...m, kind: 'rejected', verdict: 'bot' });

async function send(p: TestPipeline, topic: string, values: Array<ClickMessage | RejectedMessage | string>) {
  await p.producer.send({
    topic,
    messages: values.map((v) => {
      const value = typeof v === 'string' ? v : JSON.stringify(v);
      return { key: (JSON.parse(value) as { click_id: string }).click_id, value };
    }),
  });
}

describe('sender scope in the engine', () => {
  it('counts each (sender, click_id) once: on time, late and rejected; a record without sender once', async () => {
    const p = await startPipeline('sscope', FAST_WINDOWS);
    const topics = topicNames(p.config);
    const W = p.config.pipeline.windowSeconds * 1000;
    const t0 = Date.UTC(2026, 0, 5, 7, 0, 0);
    const acme = (id: string, ad: string, ts: number) => clickMessage(id, ad, ts, 'acme');
    const globex = (id: string, ad: string, ts: number) => clickMessage(id, ad, ts, 'globex');

    // On time, ad-1: x-1 from two senders and from the unscoped namespace (3 clicks); x-2 of
    // acme written twice (1); old-1 in the old format written twice and resent unscoped (1);
    // x-3 anonymous (1).
    await send(p, topics.clicks, [
      acme('x-1', 'ad-1', t0 + 100),
      globex('x-1', 'ad-1', t0 + 110),
      v2Click('x-1', 'ad-1', t0 + 120),
      acme('x-2', 'ad-1', t0 + 130),
      acme('x-2', 'ad-1', t0 + 130),
      v2Click('old-1', 'ad-1', t0 + 140),
      v2Click('old-1', 'ad-1', t0 + 140),
      // A v3 resend of a click decided before the upgrade names no sender (Decided.unscoped).
      JSON.stringify({ ...clickMessage('old-1', 'ad-1', t0 + 140), sender: undefined }),
      clickMessage('x-3', 'ad-1', t0 + 150),
    ]);
    // Rejected, ad-1: r-1 from two senders (2), acme's again (no more).
    const r1 = acme('r-1', 'ad-1', t0 + 160);
    await send(p, topics.rejected, [rejected(r1), rejected(globex('r-1', 'ad-1', t0 + 170)), rejected(r1)]);
    await closeThrough(p, t0 + W);

    // Late, ad-2: l-1 from two senders (2) and acme's again (no more); old-late in the old
    // format twice (1); and acme's x-2 again, now late: counted on time already (no more).
    await send(p, topics.clicks, [
      acme('l-1', 'ad-2', t0 + 200),
      globex('l-1', 'ad-2', t0 + 210),
      acme('l-1', 'ad-2', t0 + 200),
      v2Click('old-late', 'ad-2', t0 + 220),
      v2Click('old-late', 'ad-2', t0 + 220),
      acme('x-2', 'ad-1', t0 + 130),
    ]);
    await closeThrough(p, t0 + 2 * W);

    const counts = pipelineCounts(p);
    const minute = t0 - (t0 % 60_000);
    const want = {
      windows: { [`ad-1|${t0}`]: 6 },
      late: { [`ad-2|${minute}`]: 3 },
      rejected: { [`ad-1|${t0}|bot`]: 2 },
    };
    const read = async () => ({
      windows: await counts.windows(),
      late: await counts.late(),
      rejected: await counts.rejected(),
    });
    const got = await settled(read, want);
    expect(got).toEqual(want);
    // The late rows keep their sender: '' for the unscoped namespace of the old format.
    const late = await p.rows<{ sender: string; click_id: string }>(
      `SELECT sender, click_id FROM ${p.config.clickhouse.database}.clicks_late FINAL ORDER BY click_id, sender`,
    );
    expect(late).toEqual([
      { sender: 'acme', click_id: 'l-1' },
      { sender: 'globex', click_id: 'l-1' },
      { sender: '', click_id: 'old-late' },
    ]);
    // Provisional (pre-aggregated) counts agree with the final ones.
    const provisional = await p.rows<{ ad_id: string; clicks: string }>(
      `SELECT ad_id, clicks FROM ${p.config.clickhouse.database}.ad_clicks_provisional ORDER BY ad_id`,
    );
    expect(provisional.map((r) => [r.ad_id, Number(r.clicks)])).toEqual([['ad-1', 6]]);
  });
});
