import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Scope } from './auth/scope.ts';
import { ClickHouseUnavailableError } from './errors.ts';
import { recordingStore, testApp, type RecordingStore } from './testing.ts';

const KEYS: Record<'internal' | 'acme' | 'camp', Scope> = {
  internal: { kind: 'all' },
  acme: { kind: 'ad_prefixes', prefixes: ['acme-'] },
  camp: { kind: 'campaigns', campaigns: ['c1'] },
};
const RANGE = 'from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z';

let store: RecordingStore;
let app: FastifyInstance;
beforeEach(async () => {
  store = recordingStore();
  store.campaignOf.set('ad-c1', 'c1');
  app = testApp(store, KEYS);
  await app.ready();
});
afterEach(() => app.close());

const get = (url: string, key?: string) =>
  app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('stats routes', () => {
  it('answer in the contract shapes', async () => {
    const clicks = await get(`/v1/ads/acme-1/clicks?${RANGE}`, 'internal');
    expect(clicks.statusCode).toBe(200);
    expect(clicks.json()).toEqual({
      ad_id: 'acme-1',
      granularity: 'minute',
      buckets: [{ start: '2026-01-01T00:00:00.000Z', clicks: 3, final: true, late: 1 }],
      total: 3,
      late_total: 1,
    });
    expect((await get(`/v1/ads/top?${RANGE}&limit=5`, 'internal')).json()).toEqual({
      ads: [{ ad_id: 'ad-1', clicks: 3 }],
    });
    expect((await get(`/v1/ads/x/rejected?${RANGE}`, 'internal')).json()).toEqual({
      ad_id: 'x',
      counts: { duplicate: 1, rate_limited: 0, bot: 0, blocked: 0 },
    });
    expect((await get(`/v1/late?${RANGE}`, 'internal')).json()).toEqual({ ads: [] });
  });

  it('answer one dashboard refresh in one request: top ads with buckets and rejected counts, and late', async () => {
    const res = await get(`/v1/overview?${RANGE}&limit=3`, 'internal');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-01T01:00:00.000Z',
      ads: [
        {
          ad_id: 'ad-1',
          clicks: 3,
          buckets: [{ start: '2026-01-01T00:00:00.000Z', clicks: 3, final: true, late: 1 }],
          rejected: { duplicate: 1, rate_limited: 0, bot: 0, blocked: 0 },
        },
      ],
      late: [],
    });
    expect((await get(`/v1/overview?${RANGE}&limit=21`, 'internal')).json()).toEqual({
      error: 'limit: must be an integer from 1 to 20',
      field: 'limit',
    });
    // A campaign key: ads whose clicks are not all of its campaigns are left out, as alone they would be 403.
    expect((await get(`/v1/overview?${RANGE}`, 'camp')).json().ads).toEqual([]);
  });

  it('401 without a key or with an unknown one, saying why', async () => {
    const none = await get(`/v1/ads/top?${RANGE}`);
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json().error).toMatch(/missing API key/);
    expect((await get(`/v1/late?${RANGE}`, 'nope')).json()).toEqual({ error: 'unknown API key' });
    const xKey = await app.inject({ method: 'GET', url: `/v1/late?${RANGE}`, headers: { 'x-api-key': 'acme' } });
    expect(xKey.statusCode).toBe(200);
    expect(store.calls.map((c) => c.method)).toEqual(['late']);
  });

  it('403 when the ad is outside the key scope, saying why', async () => {
    const rival = await get(`/v1/ads/rival-1/clicks?${RANGE}`, 'acme');
    expect(rival.statusCode).toBe(403);
    expect(rival.json().error).toContain("outside this key's scope");
    expect((await get(`/v1/ads/rival-1/rejected?${RANGE}`, 'acme')).statusCode).toBe(403);
    expect((await get(`/v1/ads/acme-1/clicks?${RANGE}`, 'acme')).statusCode).toBe(200);
    expect((await get(`/v1/ads/ad-c1/clicks?${RANGE}`, 'camp')).statusCode).toBe(200);
    expect((await get(`/v1/ads/ad-c2/clicks?${RANGE}`, 'camp')).statusCode).toBe(403);
  });

  it('hands the key scope to the ranking queries', async () => {
    await get(`/v1/ads/top?${RANGE}`, 'acme');
    await get(`/v1/late?${RANGE}`, 'camp');
    expect(store.calls).toEqual([
      { method: 'top', args: [expect.anything(), 10, KEYS.acme] },
      { method: 'late', args: [expect.anything(), KEYS.camp] },
    ]);
  });

  it.each([
    `/v1/ads/${encodeURIComponent("x' OR 1=1 --")}/clicks?${RANGE}`,
    `/v1/ads/${encodeURIComponent("\\'")}/clicks?${RANGE}`,
    `/v1/ads/${encodeURIComponent('ad\u2019')}/rejected?${RANGE}`,
    `/v1/ads/${'a'.repeat(200)}/clicks?${RANGE}`,
    `/v1/ads/x/clicks?from=${encodeURIComponent("' OR 1=1 --")}&to=1`,
    '/v1/ads/x/clicks?from=0&to=99999999999999',
    '/v1/ads/x/clicks?from=NaN&to=1',
    `/v1/ads/x/clicks?${RANGE}&granularity=${encodeURIComponent("minute'")}`,
    `/v1/ads/top?${RANGE}&limit=-1`,
    `/v1/ads/top?${RANGE}&limit=NaN`,
    `/v1/ads/top?${RANGE}&limit=1&limit=2`,
    `/v1/late?from=2026-13-01T00:00:00Z&to=2026-01-01T01:00:00Z`,
    `/v1/late?${RANGE}&${encodeURIComponent("a'")}=1`,
  ])('400 for hostile input, before any query: %s', async (url) => {
    const res = await get(url, 'camp');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: expect.any(String) });
    expect(store.calls).toEqual([]);
  });

  it('503 with Retry-After when ClickHouse fails', async () => {
    store.top = async () => {
      throw new ClickHouseUnavailableError('top', new Error('ECONNREFUSED'));
    };
    const res = await get(`/v1/ads/top?${RANGE}`, 'internal');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json().error).toMatch(/ClickHouse/);
  });
});

describe('open routes', () => {
  it('health, readiness, metrics, docs and the dashboard need no key', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/readyz')).json()).toEqual({ clickhouse: true });
    expect((await get('/metrics')).body).toContain('tollbooth_api_requests_total');
    expect((await get('/docs')).headers['content-type']).toMatch(/text\/html/);
    expect((await get('/docs/openapi.json')).json().openapi).toMatch(/^3\./);
    expect((await get('/docs/static/swagger-ui-bundle.js')).statusCode).toBe(200);
    expect((await get('/docs/static/..%2F..%2Fpackage.json')).statusCode).toBe(404);
    expect((await get('/')).statusCode).toBe(200);
    expect((await get('/')).headers['cache-control']).toBe('no-cache');
    const vendor = await get('/dashboard/vendor/uPlot.iife.min.js');
    expect([vendor.statusCode, vendor.headers['cache-control']]).toEqual([200, 'public, max-age=3600']);
    expect((await get('/dashboard/dashboard.js')).headers['content-type']).toMatch(/javascript/);
    // Only the two files the page loads, and nothing outside the folders.
    for (const url of [
      '/dashboard/vendor/uPlot.esm.js',
      '/dashboard/vendor/..%2Fpackage.json',
      '/dashboard/../package.json',
    ])
      expect((await get(url)).statusCode, url).toBe(404);
  });

  it('readiness is 503 when ClickHouse does not answer', async () => {
    store.ping = async () => {
      throw new Error('down');
    };
    const res = await get('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ clickhouse: false });
  });
});
