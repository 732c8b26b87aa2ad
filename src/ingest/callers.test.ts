/** Who may say what in a batch, and the event time of its clicks (in-memory dependencies). */
import { describe, expect, it } from 'vitest';
import { BROWSER, NOW, appConfig, click, post, setup } from './app-testing.ts';

const config = appConfig();

describe('callers', () => {
  const claimed = (id: string) => click(id, { ip: '198.51.100.7', user_agent: 'Claimed/1.0', campaign_id: 'cmp-1' });
  const as = (key: string | null, id: string) => {
    const r = post(JSON.stringify(claimed(id)));
    return key === null ? r : { ...r, headers: { ...r.headers, authorization: `Bearer ${key}` } };
  };

  it('honours the body ip, user_agent and campaign_id only with an ingest key', async () => {
    const { app, sink } = await setup(config);
    expect((await app.inject(as(null, 'anon'))).statusCode).toBe(200);
    expect((await app.inject(as('tb_ingest', 'keyed'))).statusCode).toBe(200);
    const [anon, keyed] = sink.records.map((r) => JSON.parse(r.value));
    expect(anon).toMatchObject({ ip: '127.0.0.1', user_agent: BROWSER, campaign_id: null });
    expect(keyed).toMatchObject({ ip: '198.51.100.7', user_agent: 'Claimed/1.0', campaign_id: 'cmp-1' });
  });

  it('refuses an unknown key (401) and a stats key (403), accepting nothing', async () => {
    const { app, sink } = await setup(config);
    const unknown = await app.inject(as('tb_revoked', 'u1'));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toBe('Bearer');
    expect((await app.inject(as('tb_stats', 's1'))).statusCode).toBe(403);
    expect(
      (await app.inject({ ...post('[]'), headers: { 'content-type': 'application/json', authorization: 'Basic x' } }))
        .statusCode,
    ).toBe(401);
    expect(sink.records).toEqual([]);
  });

  it('stamps a click of the future with the receive time, keeping client_ts', async () => {
    const { app, sink } = await setup(config);
    await app.inject(post(JSON.stringify(click('f', { ts: NOW + 4 * 60_000 }))));
    expect(JSON.parse(sink.records[0]?.value ?? '{}')).toMatchObject({ v: 4, ts: NOW, client_ts: NOW + 4 * 60_000 });
  });

  it('corrects ts by X-Sent-At', async () => {
    const { app, sink } = await setup(config);
    const skew = 10 * 60_000; // the device clock is 10 minutes ahead
    const r = post(JSON.stringify(click('x', { ts: NOW + skew - 2000 })));
    await app.inject({ ...r, headers: { ...r.headers, 'x-sent-at': String(NOW + skew) } });
    expect(JSON.parse(sink.records[0]?.value ?? '{}')).toMatchObject({ ts: NOW - 2000, client_ts: NOW + skew - 2000 });
  });

  it('produces a resend again only until its first write is marked, then never with another ts', async () => {
    const { app, sink, written } = await setup(config);
    await app.inject(post(JSON.stringify(click('once', { ts: NOW - 5000 }))));
    await written.settled();
    expect((await app.inject(post(JSON.stringify(click('once', { ts: NOW - 5000 }))))).json().results).toEqual([
      { click_id: 'once', status: 'accepted' },
    ]);
    expect(
      (await app.inject(post(JSON.stringify(click('once', { ad_id: 'other', ts: NOW - 5000 }))))).json().results,
    ).toEqual([{ click_id: 'once', status: 'duplicate' }]);
    expect(sink.records.map((r) => r.key)).toEqual(['once']);
  });
});
