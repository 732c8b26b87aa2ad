import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './rate-limit.ts';
import { recordingStore, testApp } from './testing.ts';

describe('TokenBuckets', () => {
  it('allows a burst, then the sustained rate, and says when to retry', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('b').ok).toBe(true); // another client has its own bucket
    now += 500; // one token back at 2 per second
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
    now += 60_000; // refilled to the burst, not beyond
    expect([1, 2, 3, 4].map(() => buckets.take('a').ok)).toEqual([true, true, true, false]);
  });

  it('rounds Retry-After up to whole seconds of a slow rate', () => {
    const buckets = new TokenBuckets({ perSecond: 0.1, burst: 1 }, () => 0);
    buckets.take('a');
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 10 });
  });
});

describe('rate limits of the stats API', () => {
  const url = '/v1/ads/top?from=0&to=60000';
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  it('answers 429 with Retry-After once a key has spent its burst; other keys go on', async () => {
    const app = testApp(
      recordingStore(),
      { k1: { kind: 'all' }, k2: { kind: 'all' } },
      { perAddress: { perSecond: 1000, burst: 1000 }, perKey: { perSecond: 0.5, burst: 2 } },
    );
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await app.inject({ url, headers: auth('k1') })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const limited = await app.inject({ url, headers: auth('k1') });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.json()).toEqual({ error: expect.stringContaining('API key') });
    expect((await app.inject({ url, headers: auth('k2') })).statusCode).toBe(200);
    await app.close();
  });

  it('limits an address on every route, before any key is checked', async () => {
    const store = recordingStore();
    const app = testApp(
      store,
      { k1: { kind: 'all' } },
      { perAddress: { perSecond: 1, burst: 3 }, perKey: { perSecond: 1000, burst: 1000 } },
    );
    const other = { remoteAddress: '203.0.113.9' };
    const codes = [];
    for (const path of ['/healthz', '/docs', url, url])
      codes.push((await app.inject({ url: path, headers: auth('k1') })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    expect((await app.inject({ url: '/v1/ads/top?from=0&to=60000', headers: auth('not-a-key') })).statusCode).toBe(429);
    expect((await app.inject({ url, headers: auth('k1'), ...other })).statusCode).toBe(200);
    await app.close();
  });
});
