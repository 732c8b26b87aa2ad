/**
 * Who may read what, and what never reaches ClickHouse: API-key scopes (an advertiser's key
 * cannot read another advertiser's ad) and hostile parameters, against the real pipeline with
 * clicks sent through the ingest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKey } from '../../src/api/auth/keys-file.ts';
import { sqlString } from '../../src/shared/clickhouse.ts';
import { eventually } from '../helpers/prefix.ts';
import { BROWSER } from '../ingest/harness.ts';
import { campaignPairs, click, finalWatermark, get, onTimeTs, send, startApiStack, type ApiStack } from './harness.ts';

const MINUTE = 60_000;
let stack: ApiStack;
let t0: number;
let range: string;

beforeAll(async () => {
  stack = await startApiStack('apiauth', {
    internal: { kind: 'all' },
    acme: { kind: 'ad_prefixes', prefixes: ['acme-'] },
    campA: { kind: 'campaigns', campaigns: ['camp-a'] },
    rival: { kind: 'campaigns', campaigns: ['camp-r'] },
    doomed: { kind: 'all' },
    // Used by the rate-limit tests only: a window's budget spent by polling elsewhere in the
    // file (fixed windows of burst/perSecond seconds) must not decide what they see.
    quiet: { kind: 'all' },
    bystander: { kind: 'all' },
  });
  t0 = await onTimeTs();
  range = `from=${t0 - 5 * MINUTE}&to=${t0 + 5 * MINUTE}`;
  const result = await send(stack, [
    click({ ad_id: 'acme-1', ts: t0 }),
    click({ ad_id: 'acme-1', ts: t0 }),
    click({ ad_id: 'rival-1', ts: t0, campaign_id: 'camp-r' }),
    click({ ad_id: 'cmp-1', ts: t0, campaign_id: 'camp-a' }),
    click({ ad_id: 'cmp-2', ts: t0, campaign_id: 'camp-a' }),
    // Someone sends a click naming camp-a for an ad of another campaign: that must not open it to camp-a.
    click({ ad_id: 'mixed-1', ts: t0, campaign_id: 'camp-x' }),
    click({ ad_id: 'mixed-1', ts: t0, campaign_id: 'camp-a' }),
  ]);
  expect(result.accepted).toBe(7);
  await eventually(
    async () => {
      // Every click, not only every ad: an ad's two clicks may be published a checkpoint apart,
      // and mixed-1 with its camp-a click alone would read as camp-a's.
      const body = (await get(stack, `/v1/ads/top?${range}&limit=10`, stack.keys.internal)).json();
      const clicks = (body.ads ?? []).reduce((sum: number, a: { clicks: number }) => sum + a.clicks, 0);
      return body.ads?.length === 5 && clicks === 7 ? body : undefined;
    },
    60_000,
    'all clicks visible',
  );
  // And the rows the campaign scopes are decided from, which may follow the counts by a checkpoint.
  const pairs = ['acme-1:', 'rival-1:camp-r', 'cmp-1:camp-a', 'cmp-2:camp-a', 'mixed-1:camp-x', 'mixed-1:camp-a'];
  await eventually(
    async () => {
      const seen = await campaignPairs(stack);
      return seen.size === pairs.length && pairs.every((p) => seen.has(p)) ? true : undefined;
    },
    60_000,
    'campaign rows visible',
  );
});
afterAll(() => stack?.close());

const status = async (url: string, key?: string) => (await get(stack, url, key)).statusCode;

describe('authentication', () => {
  it('401 without a key, with an unknown or malformed one, saying why', async () => {
    const none = await get(stack, `/v1/ads/acme-1/clicks?${range}`);
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatch(/missing API key/);
    expect((await get(stack, `/v1/ads/top?${range}`, 'tb_not-a-key')).json()).toEqual({ error: 'unknown API key' });
    const basic = await stack.api.inject({
      method: 'GET',
      url: `/v1/late?${range}`,
      headers: { authorization: 'Basic YTpi' },
    });
    expect(basic.statusCode).toBe(401);
    expect(basic.json().error).toMatch(/Bearer/);
  });

  it('accepts X-API-Key as well as Bearer', async () => {
    const viaHeader = await stack.api.inject({
      method: 'GET',
      url: `/v1/late?${range}`,
      headers: { 'x-api-key': stack.keys.internal ?? '' },
    });
    expect(viaHeader.statusCode).toBe(200);
  });
});

describe('scopes', () => {
  it("an advertiser key cannot read another advertiser's ad (403, saying why)", async () => {
    const res = await get(stack, `/v1/ads/rival-1/clicks?${range}`, stack.keys.acme);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('ad "rival-1" is outside this key\'s scope (ad-id prefixes acme-)');
    expect(await status(`/v1/ads/rival-1/rejected?${range}`, stack.keys.acme)).toBe(403);
    expect(await status(`/v1/ads/acme-1/clicks?${range}`, stack.keys.rival)).toBe(403);
    expect(await status(`/v1/ads/cmp-1/clicks?${range}`, stack.keys.rival)).toBe(403);
    expect(await status(`/v1/ads/mixed-1/clicks?${range}`, stack.keys.campA)).toBe(403);
    expect(await status(`/v1/ads/never-seen/clicks?${range}`, stack.keys.campA)).toBe(403);
  });

  it('each key reads its own ads with the same numbers as an internal key', async () => {
    for (const [key, ad] of [
      ['acme', 'acme-1'],
      ['rival', 'rival-1'],
      ['campA', 'cmp-2'],
    ] as const) {
      const own = await get(stack, `/v1/ads/${ad}/clicks?${range}`, stack.keys[key]);
      expect(own.statusCode).toBe(200);
      const internal = await get(stack, `/v1/ads/${ad}/clicks?${range}`, stack.keys.internal);
      expect(own.json().total).toBe(internal.json().total);
      expect(own.json().total).toBeGreaterThan(0);
      expect(await status(`/v1/ads/${ad}/rejected?${range}`, stack.keys[key])).toBe(200);
    }
  });

  it("/top is limited to the key's ads", async () => {
    const ads = async (key: string | undefined) =>
      (await get(stack, `/v1/ads/top?${range}&limit=10`, key)).json().ads.map((a: { ad_id: string }) => a.ad_id);
    expect(await ads(stack.keys.internal)).toEqual(['acme-1', 'mixed-1', 'cmp-1', 'cmp-2', 'rival-1']);
    expect(await ads(stack.keys.acme)).toEqual(['acme-1']);
    expect(await ads(stack.keys.campA)).toEqual(['cmp-1', 'cmp-2']);
    expect(await ads(stack.keys.rival)).toEqual(['rival-1']);
  });

  it("/late is limited to the key's ads", async () => {
    await eventually(
      async () => ((await finalWatermark(stack)) > t0 + 2000 ? true : undefined),
      60_000,
      'watermark past t0',
    );
    expect(
      (
        await send(stack, [
          click({ ad_id: 'acme-1', ts: t0 }),
          click({ ad_id: 'rival-1', ts: t0, campaign_id: 'camp-r' }),
        ])
      ).accepted,
    ).toBe(2);
    await eventually(
      async () => {
        const body = (await get(stack, `/v1/late?${range}`, stack.keys.internal)).json();
        return body.ads?.length === 2 ? body : undefined;
      },
      45_000,
      'late clicks',
    );
    expect((await get(stack, `/v1/late?${range}`, stack.keys.acme)).json()).toEqual({
      ads: [{ ad_id: 'acme-1', late: 1 }],
    });
    expect((await get(stack, `/v1/late?${range}`, stack.keys.rival)).json()).toEqual({
      ads: [{ ad_id: 'rival-1', late: 1 }],
    });
    expect((await get(stack, `/v1/late?${range}`, stack.keys.campA)).json()).toEqual({ ads: [] });
  });
});

const HOSTILE = ["' OR 1=1 --", "\\'", "x'); DROP TABLE clicks_raw; --", 'ad\u2019\u00e9\u{1F600}', '\u0000', 'ad id'];

describe('hostile parameters', () => {
  it.each([
    ...HOSTILE.map((h) => `/v1/ads/${encodeURIComponent(h)}/clicks?${'RANGE'}`),
    ...HOSTILE.map((h) => `/v1/ads/acme-1/clicks?from=${encodeURIComponent(h)}&to=${Date.now()}`),
    ...HOSTILE.map((h) => `/v1/ads/top?${'RANGE'}&limit=${encodeURIComponent(h)}`),
    ...HOSTILE.map((h) => `/v1/ads/acme-1/rejected?${'RANGE'}&granularity=${encodeURIComponent(h)}`),
    `/v1/ads/acme-1/clicks?${'RANGE'}&granularity=${encodeURIComponent("minute' OR '1")}`,
    `/v1/ads/acme-1/clicks?from=0&to=${Date.now()}`,
    `/v1/ads/acme-1/clicks?from=2026-02-30T00:00:00Z&to=2026-03-01T00:00:00Z`,
    `/v1/ads/acme-1/clicks?from=NaN&to=Infinity`,
    `/v1/ads/top?${'RANGE'}&limit=-5`,
    `/v1/ads/top?${'RANGE'}&limit=0`,
    `/v1/ads/top?${'RANGE'}&limit=100000`,
    `/v1/late?from=1&to=0`,
  ])('400 before any query: %s', async (template) => {
    const before = stack.sentSql().length;
    for (const key of [stack.keys.internal, stack.keys.campA]) {
      const res = await get(stack, template.replace('RANGE', range), key);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error: expect.any(String) });
    }
    expect(stack.sentSql().length).toBe(before);
  });

  it('values that do reach ClickHouse are escaped: hostile ad ids read nothing and break nothing', async () => {
    const r = { fromMs: t0 - 5 * MINUTE, toMs: t0 + 5 * MINUTE };
    for (const h of HOSTILE) {
      expect(await stack.store.clicks(h, 'minute', r)).toEqual([]);
      expect(await stack.store.rejected(h, r)).toEqual({ duplicate: 0, rate_limited: 0, bot: 0, blocked: 0 });
      expect(await stack.store.adInCampaigns([h], 'acme-1')).toBe(false);
      expect(stack.sentSql().some((sql) => sql.includes(sqlString(h)))).toBe(true);
    }
    // The tables are intact and an id from the allowed alphabet with every punctuation mark works.
    expect((await get(stack, `/v1/ads/acme-1/clicks?${range}`, stack.keys.internal)).json().total).toBe(2);
    expect((await get(stack, `/v1/ads/a:b.c-d_E9/clicks?${range}`, stack.keys.internal)).json()).toMatchObject({
      total: 0,
      buckets: [],
    });
  });
});

describe('open routes', () => {
  it('health, readiness, metrics and docs need no key', async () => {
    expect(await status('/healthz')).toBe(200);
    expect((await get(stack, '/readyz')).json()).toEqual({ clickhouse: true });
    const metrics = (await get(stack, '/metrics')).body;
    expect(metrics).toMatch(/tollbooth_api_requests_total\{route="\/v1\/ads\/:ad_id\/clicks",status="403"\} \d+/);
    expect(metrics).toMatch(/tollbooth_api_query_seconds_count\{query="clicks",outcome="ok"\} \d+/);
    expect(await status('/docs')).toBe(200);
    expect((await get(stack, '/docs/openapi.json')).json().paths['/v1/ads/{ad_id}/clicks']).toBeDefined();
    expect(await status('/')).toBe(200);
  });
});

describe('key revocation', () => {
  it('a revoked key gets 401 within a second or so', async () => {
    expect(await status(`/v1/late?${range}`, stack.keys.doomed)).toBe(200);
    expect(await revokeKey(stack.keysFile, 'doomed')).toBe(true);
    await eventually(
      async () => ((await status(`/v1/late?${range}`, stack.keys.doomed)) === 401 ? true : undefined),
      5000,
      'revoked key refused',
    );
  });
});

describe('an anonymous click', () => {
  it("never locks a campaign's key out of its ad, nor opens an ad to it", async () => {
    const ts = await onTimeTs();
    // The anonymous click comes first, on an ad no click has named a campaign for yet.
    const anonymous = await stack.ingest.app.inject({
      method: 'POST',
      url: '/v1/clicks',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER },
      payload: JSON.stringify([
        { click_id: `anon-${ts}`, ad_id: 'cmp-3', user_id: 'anyone', ts, campaign_id: 'camp-x' },
        { click_id: `anon2-${ts}`, ad_id: 'anon-only', user_id: 'anyone', ts },
      ]),
    });
    expect(anonymous.json().results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    expect((await send(stack, [click({ ad_id: 'cmp-3', ts, campaign_id: 'camp-a' })])).accepted).toBe(1);
    // Both clicks of cmp-3 counted, and the campaign rows of both (the keyed click's ties the ad
    // to camp-a; the anonymous one's names none): counts and those rows are published apart.
    await eventually(
      async () => {
        const body = (await get(stack, `/v1/ads/top?${range}&limit=10`, stack.keys.internal)).json();
        const ads = (body.ads ?? []).map((a: { ad_id: string }) => a.ad_id);
        const cmp3 = (await get(stack, `/v1/ads/cmp-3/clicks?${range}`, stack.keys.internal)).json();
        const pairs = await campaignPairs(stack);
        const rows = ['cmp-3:camp-a', 'cmp-3:', 'anon-only:'].every((p) => pairs.has(p));
        return cmp3.total === 2 && ads.includes('anon-only') && rows ? true : undefined;
      },
      60_000,
      'the anonymous and keyed clicks counted',
    );
    expect(await status(`/v1/ads/cmp-3/clicks?${range}`, stack.keys.campA)).toBe(200);
    expect((await get(stack, `/v1/ads/cmp-3/clicks?${range}`, stack.keys.campA)).json().total).toBe(2);
    // An ad only anonymous clicks have reached names no campaign: no campaign key reads it.
    expect(await status(`/v1/ads/anon-only/clicks?${range}`, stack.keys.campA)).toBe(403);
  });
});

// Last in the file: these spend the address's and a key's budgets (config defaults).
describe('rate limits', () => {
  it('a flood without a key spends its address budget only, never a key’s', async () => {
    const { perAddress, perKey } = stack.pipeline.config.api.rateLimits;
    const flood = [];
    for (let i = 0; i < perAddress.burst + 50; i++) flood.push(await status('/healthz'));
    expect(flood).toContain(429);
    expect(await status(`/v1/ads/top?${range}`)).toBe(429); // no key: the spent address budget
    const keyed = [];
    for (let i = 0; i < Math.min(20, perKey.burst); i++)
      keyed.push(await status(`/v1/ads/top?${range}`, stack.keys.quiet));
    expect(keyed).toEqual(keyed.map(() => 200));
  });

  it('a key over its budget gets 429 naming the key; another key from the same address goes on', async () => {
    const { perKey } = stack.pipeline.config.api.rateLimits;
    let last;
    for (let i = 0; i <= perKey.burst; i++) last = await get(stack, '/healthz', stack.keys.acme);
    expect(last?.statusCode).toBe(429);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.json().error).toMatch(/API key/);
    expect(await status(`/v1/late?${range}`, stack.keys.bystander)).toBe(200);
  });
});
