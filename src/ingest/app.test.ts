/** The HTTP contract of the ingest over in-memory dependencies (no services needed). */
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../shared/messages.ts';
import { BROWSER, NOW, appConfig, click, post, setup } from './app-testing.ts';
import { signLink } from './link-token.ts';

const config = appConfig();

describe('POST /v1/clicks', () => {
  it('answers per item in request order and writes decided clicks to Kafka', async () => {
    const { app, sink } = await setup(config);
    const res = await app.inject(
      post(JSON.stringify([click('a'), click('b'), { click_id: 'c', ad_id: 'ad1' }, click('d', { ad_id: 'ad2' })])),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: 1,
      invalid: 1,
      results: [
        { click_id: 'a', status: 'accepted' },
        { click_id: 'b', status: 'duplicate' },
        { click_id: 'c', status: 'invalid', error: 'user_id: Required' },
        { click_id: 'd', status: 'accepted' },
      ],
    });
    const kinds = sink.records.map((r) => [r.topic, r.key, decodeMessage(r.value).ok]);
    expect(kinds).toEqual([
      ['clicks', 'a', true],
      ['clicks_rejected', 'b', true],
      ['clicks', 'd', true],
    ]);
  });

  it('takes NDJSON and a single object', async () => {
    const { app } = await setup(config);
    expect(
      (
        await app.inject(
          post(
            `${JSON.stringify(click('n1'))}\n${JSON.stringify(click('n2', { ad_id: 'x' }))}\n`,
            'application/x-ndjson',
          ),
        )
      ).json().accepted,
    ).toBe(2);
    expect((await app.inject(post(JSON.stringify(click('s1', { ad_id: 'y' }))))).json().results).toEqual([
      { click_id: 's1', status: 'accepted' },
    ]);
  });

  it.each([
    ['malformed JSON', post('{"click_id":'), 400],
    ['deep nesting', post('['.repeat(10_000) + ']'.repeat(10_000)), 400],
    ['too many clicks', post(JSON.stringify(Array.from({ length: 101 }, (_, i) => click(`c${i}`)))), 413],
    ['too many bytes', post(JSON.stringify([click('big', { user_agent: 'x'.repeat(70_000) })])), 413],
    ['an empty JSON body', post(''), 400],
    ['wrong media type', post('{}', 'text/plain'), 415],
    ['no body at all', { method: 'POST' as const, url: '/v1/clicks' }, 415],
  ])('%s gives a clear 4xx and the app keeps serving', async (_name, request, status) => {
    const { app } = await setup(config);
    const res = await app.inject(request);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toHaveProperty('error');
    expect((await app.inject(post(JSON.stringify(click('after'))))).statusCode).toBe(200);
  });

  it('holds an anonymous caller to its own limits, named in the 413, and a keyed one to the larger', async () => {
    const cfg = appConfig({
      TOLLBOOTH_ANONYMOUS_MAX_CLICKS_PER_REQUEST: '2',
      TOLLBOOTH_ANONYMOUS_MAX_BODY_BYTES: '2048',
    });
    const { app } = await setup(cfg);
    const three = post(JSON.stringify([click('l1'), click('l2', { ad_id: 'ad2' }), click('l3', { ad_id: 'ad3' })]));
    const anon = await app.inject(three);
    expect(anon.statusCode).toBe(413);
    expect(anon.json().error).toBe(
      'an anonymous request may carry at most 2 clicks and 2 KB; a server with an ingest key may send 100 clicks and 64 KB',
    );
    const big = post(JSON.stringify(click('l4')).padEnd(3000, ' '));
    expect((await app.inject(big)).statusCode).toBe(413);
    const keyed = (r: ReturnType<typeof post>) => ({
      ...r,
      headers: { ...r.headers, authorization: 'Bearer tb_ingest' },
    });
    expect((await app.inject(keyed(three))).json().accepted).toBe(3);
    expect((await app.inject(keyed(big))).statusCode).toBe(200);
  });

  it('gives 503 with Retry-After when Kafka fails, and the resend is accepted once', async () => {
    const { app, sink } = await setup(config);
    sink.down = true;
    const body = JSON.stringify([click('r1'), click('r2', { ad_id: 'ad2' })]);
    const failed = await app.inject(post(body));
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toBe('1');
    sink.down = false;
    expect((await app.inject(post(body))).json().accepted).toBe(2);
    expect((await app.inject(post(body))).json().accepted).toBe(2);
  });
});

describe('the ip default', () => {
  const forwarded = async (cfg: typeof config) => {
    const { app, sink } = await setup(cfg);
    await app.inject({
      ...post(JSON.stringify(click('x'))),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
    });
    return JSON.parse(sink.records[0]?.value ?? '{}').ip;
  };

  it('is the peer address, and X-Forwarded-For only from a trusted proxy', async () => {
    expect(await forwarded(config)).toBe('127.0.0.1');
    expect(await forwarded(appConfig({ TOLLBOOTH_TRUSTED_PROXIES: '127.0.0.1' }))).toBe('203.0.113.9');
  });
});

describe('GET /c/<token>', () => {
  const token = () =>
    signLink(
      { adId: 'ad-l', url: 'https://example.com/landing', campaignId: null },
      config.ingest.linkSecrets,
      config.ingest.linkKeyId,
    );

  it('redirects, sets the user cookie once, and records the click', async () => {
    const { app, sink } = await setup(config);
    const res = await app.inject({ url: `/c/${token()}`, headers: { 'user-agent': BROWSER } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://example.com/landing');
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    // The cookie is the user id and its signature (URL-encoded).
    const [, user] = /^tb_uid=([A-Za-z0-9_-]{43})\.[^;\s]+$/.exec(cookie) ?? [];
    expect(user).toEqual(expect.any(String));
    const again = await app.inject({ url: `/c/${token()}`, headers: { 'user-agent': BROWSER, cookie } });
    expect(again.headers['set-cookie']).toBeUndefined();
    const users = sink.records.map((r) => JSON.parse(r.value).user_id);
    expect(users).toEqual([user, user]);
  });

  it('counts a made-up or tampered cookie as none: the visitor is its (ip, user agent) id again', async () => {
    const { app, sink } = await setup(config);
    const first = await app.inject({ url: `/c/${token()}`, headers: { 'user-agent': BROWSER } });
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    const user = cookie.slice(7).split('.')[0];
    for (const forged of ['tb_uid=someone-else', `tb_uid=someone-else.${cookie.split('.')[1]}`, `${cookie}x`]) {
      const res = await app.inject({ url: `/c/${token()}`, headers: { 'user-agent': BROWSER, cookie: forged } });
      expect(String(res.headers['set-cookie']).split(';')[0]).toBe(cookie);
    }
    expect(new Set(sink.records.map((r) => JSON.parse(r.value).user_id))).toEqual(new Set([user]));
  });

  it('gives a client that keeps no cookie the same user id every time, so its replays are duplicates', async () => {
    const { app, sink } = await setup(config);
    const follow = (ua: string) => app.inject({ url: `/c/${token()}`, headers: { 'user-agent': ua } });
    const cookies = [];
    for (let i = 0; i < 3; i++) cookies.push(String((await follow(BROWSER)).headers['set-cookie']).split(';')[0]);
    expect(new Set(cookies).size).toBe(1);
    expect(sink.records.map((r) => r.topic)).toEqual(['clicks', 'clicks_rejected', 'clicks_rejected']);
    // Another user agent on the same ip is another visitor.
    expect(String((await follow('Other/1.0')).headers['set-cookie']).split(';')[0]).not.toBe(cookies[0]);
  });

  it('redirects an expired link but records its click as invalid, nowhere', async () => {
    const { app, sink } = await setup(config);
    const expired = signLink(
      { adId: 'ad-l', url: 'https://example.com/landing', campaignId: null, expiresAt: NOW - 1000 },
      config.ingest.linkSecrets,
      config.ingest.linkKeyId,
    );
    const res = await app.inject({ url: `/c/${expired}`, headers: { 'user-agent': BROWSER } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://example.com/landing');
    expect(sink.records).toEqual([]);
    expect((await app.inject({ url: '/metrics' })).body).toContain('tollbooth_clicks_total{verdict="invalid"} 1');
  });

  it('spools when Kafka is down, still redirects, and drains in order once it is back', async () => {
    const { app, sink, linkClicks, inFlight } = await setup(config);
    sink.down = true;
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: `/c/${token()}` })).statusCode).toBe(302);
    expect(sink.records).toEqual([]);
    // Heartbeats wait for the spooled clicks: their windows must not close before they are written.
    expect(inFlight.heartbeatTime(NOW + 60_000)).toBe(NOW);
    sink.down = false;
    await linkClicks.drain();
    await linkClicks.stop();
    expect(inFlight.heartbeatTime(NOW + 60_000)).toBe(NOW + 60_000);
    const ids = sink.records.map((r) => JSON.parse(r.value).click_id as string);
    expect(ids).toHaveLength(3);
    expect([...ids].sort()).toEqual(ids); // UUIDv7 sorts by creation time
  });

  it('gives 400 and no redirect for tampered, truncated or unsigned tokens', async () => {
    const { app } = await setup(config);
    for (const bad of [token().slice(0, -4), `${token()}x`, 'aHR0cHM6Ly9ldmlsLmV4YW1wbGUv', '', 'a.b.c']) {
      const res = await app.inject({ url: `/c/${bad}` });
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers.location).toBeUndefined();
    }
  });
});

describe('health', () => {
  it('serves /healthz, /readyz and /metrics', async () => {
    const { app, sink } = await setup(config);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    sink.down = true;
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ redis: true, kafka: false });
    await app.inject(post(JSON.stringify(click('m1'))));
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('tollbooth_http_requests_total{route="/readyz",status="503"} 1');
    expect(metrics).toContain('tollbooth_batch_size_count 1');
  });
});
