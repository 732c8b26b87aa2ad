import { describe, expect, it } from 'vitest';
import { recordingStore, testApp } from './testing.ts';

describe('rate limits of the stats API', () => {
  const url = '/v1/ads/top?from=0&to=60000';
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  it('answers 429 with Retry-After once a key has spent its burst; other keys go on', async () => {
    const app = testApp(
      recordingStore(),
      { k1: { kind: 'all' }, k2: { kind: 'all' } },
      // 2 requests per 4-second window.
      { perAddress: { perSecond: 1000, burst: 1000 }, perKey: { perSecond: 0.5, burst: 2 } },
    );
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await app.inject({ url, headers: auth('k1') })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const limited = await app.inject({ url, headers: auth('k1') });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(3);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(4);
    expect(limited.json()).toEqual({
      error: expect.stringMatching(/^too many requests for this API key; retry after \d s$/),
    });
    expect(limited.headers['x-frame-options']).toBe('DENY'); // the security headers on a 429 too
    expect((await app.inject({ url, headers: auth('k2') })).statusCode).toBe(200);
    await app.close();
  });

  it('limits requests without a valid key by address, on every route, and leaves valid keys alone', async () => {
    const store = recordingStore();
    const app = testApp(
      store,
      { k1: { kind: 'all' } },
      { perAddress: { perSecond: 1, burst: 3 }, perKey: { perSecond: 1000, burst: 1000 } },
    );
    const other = { remoteAddress: '203.0.113.9' };
    const codes = [];
    for (const path of ['/healthz', '/docs', '/nowhere', '/healthz'])
      codes.push((await app.inject({ url: path })).statusCode);
    expect(codes).toEqual([200, 200, 404, 429]);
    const junk = await app.inject({ url, headers: auth('not-a-key') });
    expect(junk.statusCode).toBe(429); // limited before the key is refused: a flood of bad keys costs no 401s
    expect(junk.json()).toEqual({ error: expect.stringContaining('address') });
    // The same address with a valid key spends the key's budget, not the spent one of the address.
    for (const path of ['/healthz', url, url])
      expect((await app.inject({ url: path, headers: auth('k1') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/healthz', ...other })).statusCode).toBe(200);
    expect(store.calls.filter((c) => c.method === 'top')).toHaveLength(2);
    await app.close();
  });
});
