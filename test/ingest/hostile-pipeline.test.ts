/**
 * Hostile clicks end to end: the real ingest (Redis, Kafka, heartbeats) in front of the real
 * Flink job and sink, all under one test prefix. Clicks stamped in the future must not make
 * anyone's clicks late; a reused click_id is counted once, on its first ad; a cookieless
 * visitor replaying a link is counted once; a click with a lone surrogate stalls nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartbeats, type Heartbeats } from '../../src/ingest/heartbeats.ts';
import { signLink } from '../../src/ingest/link-token.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { partitionsOf } from '../../src/shared/topics.ts';
import { pipelineCounts } from '../helpers/pipeline-counts.ts';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.ts';
import { eventually } from '../helpers/prefix.ts';
import { FAST_WINDOWS } from '../helpers/use-pipelines.ts';
import { BROWSER, cleanUp, listenLocally, readTopic, startTestIngest, testEnv, type TestIngest } from './harness.ts';

const MINUTE = 60_000;
let pipeline: TestPipeline;
let ingest: TestIngest;
let base = '';
let heartbeats: Heartbeats | undefined;

beforeAll(async () => {
  pipeline = await startTestPipeline('hostile_e2e', FAST_WINDOWS);
  ingest = await startTestIngest(
    await testEnv('hostile_e2e', { TOLLBOOTH_TOPIC_PREFIX: pipeline.config.kafka.topicPrefix }),
  );
  base = await listenLocally(ingest);
  const { runtime } = ingest;
  heartbeats = startHeartbeats({
    producer: runtime.producer,
    topics: runtime.pipeline.topics,
    // Fast beats so 2-second windows close promptly; the time is the ingest's own rule.
    intervalMs: 200,
    partitions: async () => partitionsOf(await runtime.admin(), runtime.pipeline.topics.clicks),
    now: () => runtime.pipeline.inFlight.heartbeatTime(Date.now()),
    log: runtime.log,
  });
}, 180_000);

afterAll(async () => {
  await heartbeats?.stop();
  await ingest?.close();
  await pipeline?.close();
  if (ingest) await cleanUp(ingest.config);
});

const run = Math.random().toString(36).slice(2, 8);
const post = async (items: unknown[]): Promise<string[]> => {
  const res = await fetch(`${base}/v1/clicks`, {
    method: 'POST',
    // As an ad server: anonymous callers are limited per address (their own tests: anonymous.test.ts).
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER, authorization: `Bearer ${ingest.ingestKey}` },
    body: JSON.stringify(items),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { status: string }[] }).results.map((r) => r.status);
};
const clickOf = (ad: string, i: number, over: Record<string, unknown> = {}) => ({
  click_id: `${ad}-${run}-${i}`,
  ad_id: ad,
  user_id: `${ad}-user-${i}`,
  ts: Date.now(),
  ...over,
});

/** Final on-time clicks and late clicks per ad, summed over windows. */
async function perAd(): Promise<{ onTime: Record<string, number>; late: Record<string, number> }> {
  const counts = pipelineCounts(pipeline);
  const sum = (keyed: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, n] of Object.entries(keyed)) out[k.split('|')[0] ?? ''] = (out[k.split('|')[0] ?? ''] ?? 0) + n;
    return out;
  };
  return { onTime: sum(await counts.windows()), late: sum(await counts.late()) };
}

describe('hostile clicks through the whole pipeline', () => {
  it('counts every click on time, once, on its first ad', async () => {
    const ad = (name: string) => `${name}-${run}`;
    // Defect 2: 16 clicks (both partitions, surely) stamped 4 minutes ahead.
    const ahead = Array.from({ length: 16 }, (_, i) => clickOf(ad('future'), i, { ts: Date.now() + 4 * MINUTE }));
    expect(await post(ahead)).toEqual(Array(16).fill('accepted'));

    // Defect 3: one click_id, then resent with other ads and users.
    const first = clickOf(ad('first'), 0);
    expect(await post([first])).toEqual(['accepted']);
    expect(
      await post([
        { ...first, ad_id: ad('second'), user_id: 'other-1' },
        { ...first, ad_id: ad('third'), user_id: 'other-2' },
      ]),
    ).toEqual(['duplicate', 'duplicate']);

    // Defect 1: a lone surrogate among ordinary clicks, which must reach ClickHouse within 5 s.
    const plain = Array.from({ length: 10 }, (_, i) => clickOf(ad('plain'), i));
    const answeredAt = Date.now();
    expect(await post([clickOf(ad('plain'), 99, { user_id: 'a\ud800b' }), ...plain])).toEqual([
      'invalid',
      ...Array(10).fill('accepted'),
    ]);
    const provisional = `SELECT sum(clicks) AS n FROM ${pipeline.config.clickhouse.database}.ad_clicks_provisional WHERE ad_id = '${ad('plain')}'`;
    await eventually(
      async () => (Number((await pipeline.rows<{ n: string }>(provisional))[0]?.n) === 10 ? true : undefined),
      5000,
      'the plain clicks in the provisional counts',
    );
    expect(Date.now() - answeredAt).toBeLessThan(5000 + 1000);

    // Defect 6: a client without cookies follows one link 10 times within one minute.
    await eventually(
      async () => (Date.now() % MINUTE < MINUTE - 10_000 ? true : undefined),
      MINUTE,
      'a minute with 10 s left',
    );
    const token = signLink(
      { adId: ad('link'), url: 'https://example.com/l', campaignId: null },
      ingest.config.ingest.linkSecrets,
      ingest.config.ingest.linkKeyId,
    );
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${base}/c/${token}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
      expect(res.status).toBe(302);
    }

    const expected = { [ad('future')]: 16, [ad('first')]: 1, [ad('plain')]: 10, [ad('link')]: 1 };
    const mine = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([k]) => k.endsWith(run)));
    const final = await eventually(
      async () => {
        const now = await perAd();
        return JSON.stringify(mine(now.onTime)) === JSON.stringify(Object.fromEntries(Object.entries(expected).sort()))
          ? now
          : undefined;
      },
      90_000,
      'final counts',
    ).catch(perAd);
    expect(mine(final.onTime)).toEqual(expected);
    expect(mine(final.late)).toEqual({});

    // The future clicks were stored at their receive time, the ts as sent beside it.
    const stored = await readTopic(ingest.config, topicNames(ingest.config).clicks, (ms) =>
      ms.some((m) => m.key === ahead[0]?.click_id),
    );
    const msg = stored.find((m) => m.key === ahead[0]?.click_id)?.message;
    expect(msg?.kind === 'click' && msg.client_ts - msg.ts).toBeGreaterThan(4 * MINUTE - 5000);
  });
});
