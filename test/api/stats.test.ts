/**
 * Every stats endpoint against the real pipeline, with clicks sent through the ingest: the
 * numbers must equal what the ingest accepted (rejected by verdict, late by event time), first
 * as provisional counts within seconds, then as final ones once the minute has closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Blocklist } from '../../src/dedup/blocklist.ts';
import { eventually } from '../helpers/prefix.ts';
import {
  acceptedByAd,
  click,
  finalWatermark,
  get,
  onTimeTs,
  send,
  startApiStack,
  type ApiStack,
  type SentClick,
} from './harness.ts';

const MINUTE = 60_000;
let stack: ApiStack;
let t0: number;
let accepted: Map<string, number>;
let range: string;

beforeAll(async () => {
  stack = await startApiStack('api', { internal: { kind: 'all' } });
  const { ingest } = stack;
  await new Blocklist(ingest.runtime.redis, ingest.config.dedup.keyPrefix).add('user', 'u-blocked');
  t0 = await onTimeTs();
  const minute = Math.floor(t0 / MINUTE) * MINUTE;
  range = `from=${minute - MINUTE}&to=${new Date(minute + 2 * MINUTE).toISOString()}`;

  const clicks: SentClick[] = [
    ...[1, 2, 3, 4].map(() => click({ ad_id: 'acme-1', ts: t0 })),
    ...[1, 2].map(() => click({ ad_id: 'acme-2', ts: t0 })),
    click({ ad_id: 'rival-1', ts: t0, campaign_id: 'camp-r' }),
    // One of each rejection for acme-1.
    click({ ad_id: 'acme-1', ts: t0, user_id: 'u-dup' }),
    click({ ad_id: 'acme-1', ts: t0, user_id: 'u-dup' }),
    click({ ad_id: 'acme-1', ts: t0, user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }),
    click({ ad_id: 'acme-1', ts: t0, user_id: 'u-blocked' }),
    ...['rl-a', 'rl-b', 'rl-c', 'rl-d', 'rl-e', 'acme-1'].map((ad_id) =>
      click({ ad_id, ts: t0, user_id: 'u-rl', ip: '10.9.9.9' }),
    ),
  ];
  const result = await send(stack, clicks);
  expect(
    result.results
      .map((r) => r.status)
      .filter((s) => s !== 'accepted')
      .sort(),
  ).toEqual(['blocked', 'bot', 'duplicate', 'rate_limited']);
  accepted = acceptedByAd(clicks, result);
});
afterAll(() => stack?.close());

describe('stats API over the real pipeline', () => {
  it('shows provisional clicks within seconds, then the same numbers as final', async () => {
    const expected = accepted.get('acme-1') ?? 0;
    expect(expected).toBe(5); // 4 plain clicks and the first u-dup click; the other four were rejected
    const url = `/v1/ads/acme-1/clicks?${range}&granularity=minute`;
    const provisional = await eventually(
      async () => {
        const body = (await get(stack, url, stack.keys.internal)).json();
        return body.total === expected ? body : undefined;
      },
      45_000,
      'provisional count of acme-1',
    );
    expect(Date.now()).toBeLessThan(Math.ceil(t0 / MINUTE) * MINUTE); // observed before the minute ended
    expect(provisional).toEqual({
      ad_id: 'acme-1',
      granularity: 'minute',
      total: expected,
      late_total: 0,
      buckets: [
        { start: new Date(Math.floor(t0 / MINUTE) * MINUTE).toISOString(), clicks: expected, final: false, late: 0 },
      ],
    });

    // The minute becomes final once it has ended and the watermark (grace 500 ms) has passed it.
    const final = await eventually(
      async () => {
        const body = (await get(stack, url, stack.keys.internal)).json();
        return body.buckets[0]?.final === true ? body : undefined;
      },
      150_000,
      'final minute of acme-1',
    );
    expect(final.buckets).toEqual([{ start: provisional.buckets[0].start, clicks: expected, final: true, late: 0 }]);
    expect(final.total).toBe(expected);

    const hour = (await get(stack, `/v1/ads/acme-1/clicks?${range}&granularity=hour`, stack.keys.internal)).json();
    expect(hour.total).toBe(expected);
    expect(hour.buckets[0].start).toBe(new Date(Math.floor(t0 / 3_600_000) * 3_600_000).toISOString());
  });

  it('ranks ads by clicks in /v1/ads/top', async () => {
    const expected = [...accepted]
      .map(([ad_id, clicks]) => ({ ad_id, clicks }))
      .sort((a, b) => b.clicks - a.clicks || (a.ad_id < b.ad_id ? -1 : 1));
    await eventually(
      async () => {
        const body = (await get(stack, `/v1/ads/top?${range}&limit=100`, stack.keys.internal)).json();
        return JSON.stringify(body) === JSON.stringify({ ads: expected }) ? body : undefined;
      },
      45_000,
      '/top to match the accepted clicks',
    );
    const two = (await get(stack, `/v1/ads/top?${range}&limit=2`, stack.keys.internal)).json();
    expect(two).toEqual({ ads: expected.slice(0, 2) });
  });

  it('counts rejected clicks by verdict', async () => {
    const url = `/v1/ads/acme-1/rejected?${range}`;
    const want = { ad_id: 'acme-1', counts: { duplicate: 1, rate_limited: 1, bot: 1, blocked: 1 } };
    await eventually(
      async () => {
        const body = (await get(stack, url, stack.keys.internal)).json();
        return JSON.stringify(body) === JSON.stringify(want) ? body : undefined;
      },
      45_000,
      'rejected counts of acme-1',
    );
    expect((await get(stack, `/v1/ads/acme-2/rejected?${range}`, stack.keys.internal)).json()).toEqual({
      ad_id: 'acme-2',
      counts: { duplicate: 0, rate_limited: 0, bot: 0, blocked: 0 },
    });
  });

  it('counts late clicks by their own event time, and never in the final count', async () => {
    // Late means behind the watermark on arrival: wait until it has passed t0's window.
    await eventually(
      async () => ((await finalWatermark(stack)) > t0 + 2000 ? true : undefined),
      60_000,
      'watermark past t0',
    );
    const late = [
      click({ ad_id: 'acme-2', ts: t0 }),
      click({ ad_id: 'acme-2', ts: t0 - 1000 }),
      click({ ad_id: 'rival-1', ts: t0 }),
    ];
    expect((await send(stack, late)).accepted).toBe(3);
    const want = {
      ads: [
        { ad_id: 'acme-2', late: 2 },
        { ad_id: 'rival-1', late: 1 },
      ],
    };
    await eventually(
      async () => {
        const body = (await get(stack, `/v1/late?${range}`, stack.keys.internal)).json();
        return JSON.stringify(body) === JSON.stringify(want) ? body : undefined;
      },
      45_000,
      '/late to show the late clicks',
    );
    // Their windows had closed: the counts stay what was accepted on time.
    const acme2 = (await get(stack, `/v1/ads/acme-2/clicks?${range}`, stack.keys.internal)).json();
    expect(acme2.total).toBe(accepted.get('acme-2'));
    // ...and the late ones stand beside them, in the bucket of their own event time (billable once).
    expect(acme2.late_total).toBe(2);
    const bucketOf = (ms: number) => new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString();
    const lateByBucket = Object.fromEntries(
      (acme2.buckets as Array<{ start: string; late: number }>).filter((b) => b.late > 0).map((b) => [b.start, b.late]),
    );
    const wantByBucket: Record<string, number> = {};
    for (const ms of [t0, t0 - 1000]) wantByBucket[bucketOf(ms)] = (wantByBucket[bucketOf(ms)] ?? 0) + 1;
    expect(lateByBucket).toEqual(wantByBucket);
    // Outside the range, nothing.
    const before = `from=${t0 - 3 * MINUTE}&to=${Math.floor(t0 / MINUTE) * MINUTE - MINUTE}`;
    expect((await get(stack, `/v1/late?${before}`, stack.keys.internal)).json()).toEqual({ ads: [] });
  });
});
