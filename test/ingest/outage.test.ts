/**
 * Kafka or Redis unreachable: a batch gets 503 with Retry-After and nothing is accepted; the
 * same batch resent to a healthy ingest (sharing the verdicts in Redis) is accepted once.
 * Link clicks still redirect and wait in the spool until Kafka is reachable.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../src/shared/messages.ts';
import { LinkClicks } from '../../src/ingest/link-clicks.ts';
import { signLink } from '../../src/ingest/link-token.ts';
import { Spool } from '../../src/ingest/spool.ts';
import {
  BROWSER,
  cleanUp,
  clickIds,
  closedPort,
  readTopic,
  setUpTopics,
  startTestIngest,
  testEnv,
  type TestIngest,
} from './harness.ts';

let env: Record<string, string | undefined>;
let healthy: TestIngest;
const others: TestIngest[] = [];

beforeAll(async () => {
  env = await testEnv('outage');
  healthy = await startTestIngest(env);
  await setUpTopics(healthy.config);
});
afterAll(async () => {
  for (const o of others) await o.close();
  await healthy?.close();
  if (healthy) await cleanUp(healthy.config);
});

/** An ingest on the same topics and Redis keys, but with one dependency pointed at a dead port. */
async function brokenIngest(dependency: 'KAFKA' | 'REDIS'): Promise<TestIngest> {
  const spoolDir = await mkdtemp(path.join(tmpdir(), 'tb-outage-spool-'));
  const ingest = await startTestIngest({
    ...env,
    [`TOLLBOOTH_${dependency}_PORT`]: String(await closedPort()),
    TOLLBOOTH_SPOOL_DIR: spoolDir,
  });
  others.push(ingest);
  return ingest;
}

const now = Date.now();
const batch = (tag: string) => [
  { click_id: `${tag}-1`, ad_id: 'ad1', user_id: `${tag}-user`, ts: now, user_agent: BROWSER },
  { click_id: `${tag}-2`, ad_id: 'ad1', user_id: `${tag}-user`, ts: now, user_agent: BROWSER },
  { click_id: `${tag}-3`, ad_id: 'ad2', user_id: `${tag}-user`, ts: now, user_agent: BROWSER },
];
const post = (ingest: TestIngest, items: unknown[]) =>
  ingest.app.inject({
    method: 'POST',
    url: '/v1/clicks',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER },
    payload: JSON.stringify(items),
  });

describe.each(['KAFKA', 'REDIS'] as const)('%s unreachable', (dependency) => {
  it('answers 503 with Retry-After, and the resent batch is accepted once', async () => {
    const broken = await brokenIngest(dependency);
    const tag = `${dependency.toLowerCase()}-${Date.now()}`;
    const failed = await post(broken, batch(tag));
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toBe('1');
    expect((await broken.app.inject({ url: '/readyz' })).json()).toMatchObject({ [dependency.toLowerCase()]: false });

    const resent = await post(healthy, batch(tag));
    expect(resent.statusCode).toBe(200);
    expect(resent.json().results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'duplicate',
      'accepted',
    ]);
    expect((await post(healthy, batch(tag))).json()).toEqual(resent.json());

    // Every accepted click is in Kafka; the ones resent once (not the 503) appear exactly once.
    const ids = [`${tag}-1`, `${tag}-3`];
    const msgs = await readTopic(healthy.config, topicNames(healthy.config).clicks, (ms) =>
      ids.every((id) => clickIds(ms).includes(id)),
    );
    const count = (id: string) => clickIds(msgs).filter((c) => c === id).length;
    expect(ids.map(count).every((n) => n >= 1)).toBe(true);
    expect(clickIds(msgs)).not.toContain(`${tag}-2`);
  });
});

describe('link clicks while Kafka is unreachable', () => {
  it('still redirect, wait in the spool, and reach Kafka in order once it is back', async () => {
    const broken = await brokenIngest('KAFKA');
    const adId = `spooled-${Date.now()}`;
    const token = signLink(
      { adId, url: 'https://example.com/x', campaignId: 'c1' },
      broken.config.ingest.linkSecrets,
      broken.config.ingest.linkKeyId,
    );
    for (let i = 0; i < 3; i++) {
      // Three visitors (a cookieless visitor is its ip and user agent), so three accepted clicks.
      const res = await broken.app.inject({ url: `/c/${token}`, headers: { 'user-agent': `${BROWSER} v${i}` } });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('https://example.com/x');
    }
    await broken.close();
    others.splice(others.indexOf(broken), 1);

    // The spool file survives the process; an ingest that reaches Kafka drains it.
    const spool = new Spool(broken.config.ingest.spoolDir);
    await spool.open();
    expect(spool.hasBacklog).toBe(true);
    const drainer = new LinkClicks(healthy.runtime.pipeline, spool, healthy.runtime.log);
    await drainer.drain();
    await drainer.stop();
    expect(spool.hasBacklog).toBe(false);

    const msgs = await readTopic(
      healthy.config,
      topicNames(healthy.config).clicks,
      (ms) => ms.filter((m) => m.message.kind === 'click' && m.message.ad_id === adId).length >= 3,
    );
    const mine = msgs.flatMap((m) =>
      m.message.kind === 'click' && m.message.ad_id === adId ? [{ ...m.message, partition: m.partition }] : [],
    );
    expect(mine).toHaveLength(3);
    expect(mine.map((m) => m.campaign_id)).toEqual(['c1', 'c1', 'c1']);
    // Kafka orders within a partition (clicks are keyed by click_id): in order there.
    for (const p of new Set(mine.map((m) => m.partition))) {
      const ts = mine.filter((m) => m.partition === p).map((m) => m.ts);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
    }
  });
});
