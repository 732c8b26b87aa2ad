/**
 * Message v4: a record of `clicks` may hold a JSON array of messages (the ingest merges a produce
 * call's clicks per partition). The job reads each message of an array as a row, and still reads
 * the single-message records of v3 writers: a click written once in each format counts once, an
 * array's late click is routed to the late output, and every other message of it counts.
 */
import { describe, expect, it } from 'vitest';
import { topicNames, type Message } from '../../src/shared/messages.ts';
import { clickMessage } from '../helpers/ledger.ts';
import { pipelineCounts, settled } from '../helpers/pipeline-counts.ts';
import type { TestPipeline } from '../helpers/pipeline.ts';
import { closeThrough } from '../helpers/close-windows.ts';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';

const startPipeline = usePipelines();

async function sendRecords(p: TestPipeline, values: string[]): Promise<void> {
  await p.producer.send({
    topic: topicNames(p.config).clicks,
    messages: values.map((value) => ({ key: null, value })),
  });
}

const v3 = (m: Message) => JSON.stringify({ ...m, v: 3 });
const array = (ms: Message[]) => `[${ms.map((m) => JSON.stringify(m)).join(',')}]`;

describe('message v4: arrays of clicks', () => {
  it('counts every message of an array once, beside v3 records, with dedup and late routing as before', async () => {
    const p = await startPipeline('msgv4', FAST_WINDOWS);
    const W = p.config.pipeline.windowSeconds * 1000;
    const t0 = Date.UTC(2026, 0, 3, 4, 0, 0);
    const both = clickMessage('both-1', 'ad-1', t0 + 100);
    const inArray = [clickMessage('arr-1', 'ad-1', t0 + 200), clickMessage('arr-2', 'ad-2', t0 + 300)];
    const late = clickMessage('late-1', 'ad-3', t0 + 400);

    // One click as a v3 record, then again inside a v4 array with two new ones.
    await sendRecords(p, [v3(both), array([inArray[0] as Message, both, inArray[1] as Message])]);
    await closeThrough(p, t0 + W);
    // An array after the window closed: its click is late, the on-time copy of `both` a duplicate.
    await sendRecords(p, [array([late, both])]);
    await closeThrough(p, t0 + 2 * W);

    const counts = pipelineCounts(p);
    const minute = t0 - (t0 % 60_000);
    const want = { windows: { [`ad-1|${t0}`]: 2, [`ad-2|${t0}`]: 1 }, late: { [`ad-3|${minute}`]: 1 } };
    const got = await settled(async () => ({ windows: await counts.windows(), late: await counts.late() }), want);
    expect(got).toEqual(want);
    const provisional = await p.rows<{ ad_id: string; clicks: string }>(
      `SELECT ad_id, clicks FROM ${p.config.clickhouse.database}.ad_clicks_provisional ORDER BY ad_id`,
    );
    expect(provisional.map((r) => [r.ad_id, Number(r.clicks)])).toEqual([
      ['ad-1', 2],
      ['ad-2', 1],
    ]);
  });
});
