/**
 * Every verdict rule through HTTP, against the real Redis (one Lua script per batch) and Kafka.
 * Clicks come from a server with an ingest key, so their ip is the body's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as blocklist } from '../../src/cli/commands/blocklist.ts';
import { duplicateKey, rateKey, verdictKey } from '../../src/dedup/keys.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { partitionsOf } from '../../src/shared/topics.ts';
import { startHeartbeats } from '../../src/ingest/heartbeats.ts';
import {
  BROWSER,
  cleanUp,
  clickIds,
  readTopic,
  setUpTopics,
  startTestIngest,
  testEnv,
  type TestIngest,
} from './harness.ts';

const MINUTE = 60_000;
// A whole minute well in the past, so every click of a test falls in a known window.
const M = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
let ingest: TestIngest;
let n = 0;

beforeAll(async () => {
  ingest = await startTestIngest(await testEnv('ingest'));
  await setUpTopics(ingest.config);
});
afterAll(async () => {
  await ingest?.close();
  if (ingest) await cleanUp(ingest.config);
});

const id = (tag: string) => `${tag}-${++n}-${Math.random().toString(36).slice(2, 8)}`;
const click = (over: Record<string, unknown>) => ({
  click_id: id('c'),
  ad_id: 'ad1',
  user_id: 'u',
  ts: M,
  ip: '10.0.0.1',
  user_agent: BROWSER,
  ...over,
});

async function send(items: unknown[]) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${ingest.ingestKey}` };
  const res = await ingest.app.inject({ method: 'POST', url: '/v1/clicks', headers, payload: JSON.stringify(items) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    accepted: number;
    rejected: number;
    invalid: number;
    results: { click_id: string | null; status: string; error?: string }[];
  };
}
const statuses = async (items: unknown[]) => (await send(items)).results.map((r) => r.status);

describe('verdict rules (Redis, HTTP)', () => {
  it('accepts the 5th click of a user and ip in a minute and rate-limits the 6th', async () => {
    const user = id('u');
    const clicks = [1, 2, 3, 4, 5, 6].map((i) => click({ user_id: user, ad_id: `ad${i}`, ts: M + i }));
    expect(await statuses(clicks)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'rate_limited',
    ]);
    expect(await statuses([click({ user_id: user, ad_id: 'ad7', ip: '10.0.0.2' })])).toEqual(['accepted']);
  });

  it('separates clicks either side of a minute boundary', async () => {
    const user = id('u');
    const last = M + MINUTE - 1;
    expect(
      await statuses([
        click({ user_id: user, ts: last }),
        click({ user_id: user, ts: last + 1 }),
        click({ user_id: user, ts: last + MINUTE }),
      ]),
    ).toEqual(['accepted', 'accepted', 'duplicate']);
    // The minute before the boundary fills up; the next minute has its own limit.
    const full = [2, 3, 4, 5].map((i) => click({ user_id: user, ad_id: `ad${i}`, ts: last }));
    expect(
      await statuses([
        ...full,
        click({ user_id: user, ad_id: 'ad6', ts: last }),
        click({ user_id: user, ad_id: 'ad6', ts: last + 1 }),
      ]),
    ).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'rate_limited', 'accepted']);
  });

  it('answers a retry of an accepted and of a rejected click with the first verdict, with no new side effects', async () => {
    const user = id('u');
    const batch = [click({ user_id: user }), click({ user_id: user })];
    const first = await send(batch);
    expect(first.results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(await send(batch)).toEqual(first);
    expect(await send([...batch].reverse())).toEqual({ ...first, results: [...first.results].reverse() });
    // The retries consumed none of the rate limit: four more ads fit in the minute.
    expect(await statuses([2, 3, 4, 5].map((i) => click({ user_id: user, ad_id: `ad${i}` })))).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
  });

  it('gives the exact per-item results of a mixed batch and writes each verdict to its topic', async () => {
    const user = id('u');
    const blockedUser = id('blocked');
    const add = (kind: string, value: string) =>
      blocklist({ path: ['blocklist', 'add'], positionals: [kind, value], values: {}, verbose: false }, ingest.config);
    expect(await add('ip', '192.0.2.66')).toBe(0);
    expect(await add('user', blockedUser)).toBe(0);
    const items = [
      click({ user_id: user, ad_id: 'a' }),
      { click_id: 'bad id', ad_id: 'a', user_id: user, ts: M },
      click({ user_id: user, ad_id: 'b', user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }),
      click({ user_id: user, ad_id: 'c', ip: '192.0.2.66' }),
      click({ user_id: blockedUser, ad_id: 'd' }),
      click({ user_id: user, ad_id: 'a' }),
      click({ user_id: user, ad_id: 'e', ts: new Date(M + 1000).toISOString() }),
      click({ user_id: user, ad_id: 'f' }),
      click({ user_id: user, ad_id: 'g' }),
      click({ user_id: user, ad_id: 'h' }),
      click({ user_id: user, ad_id: 'i' }),
      click({ user_id: user, ad_id: 'j', ts: Date.now() + 6 * MINUTE }),
    ];
    const reply = await send(items);
    expect(reply).toEqual({
      accepted: 5,
      rejected: 5,
      invalid: 2,
      results: [
        { click_id: items[0]?.click_id, status: 'accepted' },
        { click_id: null, status: 'invalid', error: 'click_id: may only contain A-Z a-z 0-9 _ -' },
        { click_id: items[2]?.click_id, status: 'bot' },
        { click_id: items[3]?.click_id, status: 'blocked' },
        { click_id: items[4]?.click_id, status: 'blocked' },
        { click_id: items[5]?.click_id, status: 'duplicate' },
        { click_id: items[6]?.click_id, status: 'accepted' },
        { click_id: items[7]?.click_id, status: 'accepted' },
        { click_id: items[8]?.click_id, status: 'accepted' },
        { click_id: items[9]?.click_id, status: 'accepted' },
        { click_id: items[10]?.click_id, status: 'rate_limited' },
        { click_id: items[11]?.click_id, status: 'invalid', error: 'ts: is more than 5 minutes in the future' },
      ],
    });

    const { clicks, rejected } = topicNames(ingest.config);
    const accepted = reply.results.filter((r) => r.status === 'accepted').map((r) => r.click_id);
    const inClicks = await readTopic(ingest.config, clicks, (ms) =>
      accepted.every((c) => clickIds(ms).includes(c ?? '')),
    );
    const iso = inClicks.find((m) => m.key === items[6]?.click_id)?.message;
    expect(iso).toMatchObject({
      v: 4,
      kind: 'click',
      ts: M + 1000,
      client_ts: M + 1000,
      ad_id: 'e',
      campaign_id: null,
    });
    const wanted = new Map(
      reply.results.filter((r) => r.status !== 'accepted' && r.status !== 'invalid').map((r) => [r.click_id, r.status]),
    );
    const inRejected = await readTopic(ingest.config, rejected, (ms) =>
      [...wanted.keys()].every((c) => clickIds(ms).includes(c ?? '')),
    );
    for (const m of inRejected) {
      if (m.message.kind === 'rejected' && wanted.has(m.message.click_id))
        expect(m.message.verdict).toBe(wanted.get(m.message.click_id));
    }
  });

  it('remembers a click_id for the horizon: resent with another ad, user or ts it is a duplicate written nowhere', async () => {
    const user = id('u');
    const first = click({ user_id: user, ad_id: 'first-ad' });
    expect(await statuses([first])).toEqual(['accepted']);
    const others = [{ ad_id: 'other-ad' }, { user_id: id('u') }, { ts: M + 1 }];
    expect(await statuses(others.map((o) => ({ ...first, ...o })))).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(await statuses([first])).toEqual(['accepted']);
    const ttl = await ingest.runtime.redis.ttl(
      verdictKey(ingest.config.dedup.keyPrefix, ingest.sender, first.click_id),
    );
    expect(ttl).toBeGreaterThan(ingest.config.dedup.horizonSeconds - 60);
    expect(ttl).toBeLessThanOrEqual(ingest.config.dedup.horizonSeconds);
    // Written once: the resends after the acknowledgement were not produced again, the altered ones nowhere.
    const { clicks, rejected } = topicNames(ingest.config);
    const marker = click({ user_id: id('u') });
    const markerDup = { ...marker, click_id: id('c') };
    expect(await statuses([marker, markerDup])).toEqual(['accepted', 'duplicate']);
    const inClicks = await readTopic(ingest.config, clicks, (ms) => clickIds(ms).includes(marker.click_id));
    expect(inClicks.filter((m) => m.key === first.click_id).map((m) => m.message)).toEqual([
      expect.objectContaining({ ad_id: 'first-ad' }),
    ]);
    const inRejected = await readTopic(ingest.config, rejected, (ms) => clickIds(ms).includes(markerDup.click_id));
    expect(clickIds(inRejected)).not.toContain(first.click_id);
  });

  it('re-produces a resend whose first write was not acknowledged, with its first event time', async () => {
    const first = click({ user_id: id('u'), ts: M + 5000 });
    // Decided, but the Kafka write never acknowledged (as after a timeout): only Redis knows it.
    await ingest.runtime.pipeline.store.decide([
      {
        click: { ...first, ip: first.ip, campaign_id: null, client_ts: first.ts, sender: ingest.sender },
        pre: null,
        window: Math.floor(first.ts / MINUTE),
        rateWindow: Math.floor(first.ts / MINUTE),
        address: null,
      },
    ]);
    // The resend arrives with another X-Sent-At, so its corrected ts differs; it keeps the first.
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${ingest.ingestKey}`,
      'x-sent-at': String(Date.now() - 30_000),
    };
    const res = await ingest.app.inject({
      method: 'POST',
      url: '/v1/clicks',
      headers,
      payload: JSON.stringify([first]),
    });
    expect(res.json().results).toEqual([{ click_id: first.click_id, status: 'accepted' }]);
    const seen = await readTopic(ingest.config, topicNames(ingest.config).clicks, (ms) =>
      clickIds(ms).includes(first.click_id),
    );
    expect(seen.find((m) => m.key === first.click_id)?.message).toMatchObject({ ts: M + 5000, client_ts: M + 5000 });
  });

  it('completes a half-decided click (claims made, verdict not recorded) instead of counting it against itself', async () => {
    const user = id('u');
    const half = click({ user_id: user, ad_id: 'half' });
    const window = Math.floor(M / MINUTE);
    const p = ingest.config.dedup.keyPrefix;
    // What the user-slot phase leaves behind on Redis Cluster when the click-slot phase never ran.
    await ingest.runtime.redis.set(duplicateKey(p, ingest.sender, window, user, 'half'), half.click_id, 'EX', 600);
    await ingest.runtime.redis.set(
      rateKey(p, ingest.sender, window, user, '10.0.0.1'),
      `\n${half.click_id}\n`,
      'EX',
      600,
    );
    expect(await statuses([half])).toEqual(['accepted']);
    // Its rate entry was not counted twice: four more ads fit in the minute, the fifth does not.
    expect(await statuses([1, 2, 3, 4, 5].map((i) => click({ user_id: user, ad_id: `h${i}` })))).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'rate_limited',
    ]);
  });

  it('reloads the Lua script after Redis forgets it', async () => {
    await ingest.runtime.redis.script('FLUSH');
    expect(await statuses([click({ user_id: id('u') })])).toEqual(['accepted']);
  });

  it('writes a heartbeat into every partition of clicks', async () => {
    const { runtime, config } = ingest;
    const topics = topicNames(config);
    const started = Date.now();
    const beats = startHeartbeats({
      producer: runtime.producer,
      topics,
      intervalMs: 200,
      now: Date.now,
      log: runtime.log,
      partitions: async () => partitionsOf(await runtime.admin(), topics.clicks),
    });
    try {
      const seen = await readTopic(
        config,
        topics.clicks,
        (ms) =>
          new Set(ms.filter((m) => m.message.kind === 'heartbeat' && m.message.ts >= started).map((m) => m.partition))
            .size === config.kafka.partitions,
      );
      const beat = seen.find((m) => m.message.kind === 'heartbeat');
      expect(beat?.key).toBeNull();
      expect(beat?.message).toEqual({ v: 4, kind: 'heartbeat', ts: expect.any(Number) });
    } finally {
      await beats.stop();
    }
  });
});
