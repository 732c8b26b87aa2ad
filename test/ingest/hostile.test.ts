/**
 * Hostile input over a real socket: each gets a clear 4xx or an `invalid` item, and the ingest
 * keeps serving; what an anonymous caller claims is not believed; forged and expired links.
 * Bodies go through the real HTTP parser and the real body limit, not app.inject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, revokeKey } from '../../src/api/auth/keys-file.ts';
import { Blocklist } from '../../src/dedup/blocklist.ts';
import { Campaigns } from '../../src/dedup/campaigns.ts';
import { signLink } from '../../src/ingest/link-token.ts';
import { environmentWith, loadConfig } from '../../src/shared/config.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { eventually } from '../helpers/prefix.ts';
import { BROWSER, cleanUp, clickIds, readTopic, setUpTopics, startTestIngest, testEnv, type TestIngest } from './harness.ts';

let ingest: TestIngest;
let base = '';

beforeAll(async () => {
  ingest = await startTestIngest(await testEnv('hostile'));
  await setUpTopics(ingest.config);
  await ingest.app.listen({ host: '127.0.0.1', port: 0 });
  const address = ingest.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await ingest?.close();
  if (ingest) await cleanUp(ingest.config);
});

const now = Date.now();
const good = (id: string) => ({ click_id: id, ad_id: 'ad1', user_id: `user-${id}`, ts: now, user_agent: BROWSER });
const post = (body: string, type = 'application/json') =>
  fetch(`${base}/v1/clicks`, { method: 'POST', headers: { 'content-type': type, 'user-agent': BROWSER }, body });

async function stillServing(): Promise<void> {
  const res = await post(JSON.stringify(good(`alive-${Math.random().toString(36).slice(2)}`)));
  expect(res.status).toBe(200);
}

describe('hostile input', () => {
  it.each([
    ['malformed JSON', () => post('{"click_id": "a", '), 400],
    ['a bare string', () => post('"hello"'), 400],
    ['deep nesting', () => post('['.repeat(1_000_000) + ']'.repeat(1_000_000)), 400],
    ['a 10 MB body', () => post(' '.repeat(10 * 1024 * 1024)), 413],
    ['a 100,000-item array', () => post(JSON.stringify(Array.from({ length: 100_000 }, () => 0))), 413],
    ['100,000 NDJSON lines', () => post('{}\n'.repeat(100_000), 'application/x-ndjson'), 413],
    ['a wrong media type', () => post('{}', 'text/plain'), 415],
    ['form data', () => post('a=1', 'application/x-www-form-urlencoded'), 415],
  ])('%s gets a clear 4xx', async (_name, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toEqual(expect.any(String));
    await stillServing();
  });

  it('rejects wrong types, control characters and very long strings in every field, naming the field', async () => {
    const long = 'x'.repeat(100_000);
    const fields = ['click_id', 'ad_id', 'user_id', 'ts', 'ip', 'user_agent', 'campaign_id'];
    const items = fields.flatMap((field, i) => [
      { ...good(`t${i}`), [field]: { $gt: '' } },
      { ...good(`c${i}`), [field]: 'a\u0000b\r\nSet-Cookie: x' },
      { ...good(`l${i}`), [field]: long },
      { ...good(`n${i}`), [field]: 12.5 },
    ]);
    const res = await post(JSON.stringify(items));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { invalid: number; results: { status: string; error?: string }[] };
    expect(body.invalid).toBe(items.length);
    body.results.forEach((r, i) => expect(r.error?.startsWith(`${fields[Math.floor(i / 4)]}: `), JSON.stringify(r)).toBe(true));
    await stillServing();
  });

  it('refuses tampered and truncated link tokens and header-injection landing URLs, never redirecting', async () => {
    const { linkSecrets, linkKeyId } = ingest.config.ingest;
    const token = signLink({ adId: 'ad1', url: 'https://example.com/', campaignId: null }, linkSecrets, linkKeyId);
    const [kid, , sig] = token.split('.');
    const evil = Buffer.from(JSON.stringify({ ad: 'ad1', url: 'https://example.com/\r\nSet-Cookie: pwned=1' })).toString('base64url');
    const otherSite = Buffer.from(JSON.stringify({ ad: 'ad1', url: 'https://evil.example/' })).toString('base64url');
    for (const bad of [token.slice(0, 20), token.slice(0, -1), `${kid}.${otherSite}.${sig}`, `${kid}.${evil}.${sig}`, otherSite, '%0d%0aLocation:%20https://evil.example/', 'a'.repeat(6000)]) {
      const res = await fetch(`${base}/c/${bad}`, { redirect: 'manual' });
      expect(res.status, bad.slice(0, 30)).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(() => signLink({ adId: 'ad1', url: 'https://example.com/\r\nSet-Cookie: pwned=1', campaignId: null }, linkSecrets, linkKeyId)).toThrow();
    const ok = await fetch(`${base}/c/${token}`, { redirect: 'manual' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('https://example.com/');
    await stillServing();
  });
});

const statusesOf = async (res: Response) => ((await res.json()) as { results: { status: string; error?: string }[] }).results;
const ids = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}-${i}-${Math.random().toString(36).slice(2, 8)}`);

describe('defect 1: a lone surrogate is invalid, and the clicks after it flow', () => {
  it('in any string field', async () => {
    const bad: string[] = [];
    const after: string[] = [];
    for (const field of ['click_id', 'ad_id', 'user_id', 'ts', 'ip', 'user_agent', 'campaign_id']) {
      const [b = '', ...rest] = ids('sur', 5);
      const res = await post(JSON.stringify([{ ...good(b), [field]: 'a\ud800b' }, ...rest.map(good)]));
      expect(res.status).toBe(200);
      const results = await statusesOf(res);
      expect(results[0]?.status).toBe('invalid');
      expect(results[0]?.error?.startsWith(`${field}: `), results[0]?.error).toBe(true);
      expect(results.slice(1).map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
      bad.push(b);
      after.push(...rest);
    }
    // 28 keys spread over the partitions; no value in the topic carries the bad string.
    const seen = await readTopic(ingest.config, topicNames(ingest.config).clicks, (ms) => after.every((id) => clickIds(ms).includes(id)));
    expect(seen.some((m) => JSON.stringify(m.message).includes('\\ud800'))).toBe(false);
    expect(clickIds(seen).filter((id) => bad.includes(id))).toEqual([]);
  });

  it('in the User-Agent header of an anonymous caller', async () => {
    const [id = ''] = ids('ua', 1);
    // HTTP headers are latin1: a C1 control character is what a hostile header can carry.
    const res = await fetch(`${base}/v1/clicks`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla\x85' }, body: JSON.stringify({ click_id: id, ad_id: 'ad1', user_id: 'u', ts: Date.now() }) });
    expect((await statusesOf(res))[0]?.status).toBe('invalid');
  });
});

describe('defect 4: what an anonymous caller claims', () => {
  const anon = (items: unknown[], headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/clicks`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': BROWSER, ...headers }, body: JSON.stringify(items) });
  const keyed = (items: unknown[]) => anon(items, { authorization: `Bearer ${ingest.ingestKey}` });

  it('claimed ips do not lift the rate limit', async () => {
    const user = `rl-${Math.random().toString(36).slice(2)}`;
    const items = ids('rl', 7).map((id, i) => ({ ...good(id), user_id: user, ad_id: `ad-${i}`, ip: `198.51.100.${i + 1}` }));
    expect((await statusesOf(await anon(items))).map((r) => r.status)).toEqual([...Array(5).fill('accepted'), 'rate_limited', 'rate_limited']);
  });

  it('a claimed ip does not dodge the ip blocklist', async () => {
    const list = new Blocklist(ingest.runtime.redis, ingest.config.dedup.keyPrefix);
    await list.add('ip', '127.0.0.1'); // the test's own peer address, in the test's own key prefix
    try {
      const [a = '', b = ''] = ids('bl', 2);
      expect((await statusesOf(await anon([{ ...good(a), ip: '198.51.100.9' }]))).map((r) => r.status)).toEqual(['blocked']);
      // A server with an ingest key speaks for its users: their ip is the body's.
      expect((await statusesOf(await keyed([{ ...good(b), ip: '198.51.100.9' }]))).map((r) => r.status)).toEqual(['accepted']);
    } finally {
      await list.remove('ip', '127.0.0.1');
    }
  });

  it('a claimed campaign_id is ignored; the operator and ingest-key callers decide', async () => {
    const ad = `cmp-ad-${Math.random().toString(36).slice(2)}`;
    const [a = '', b = '', c = ''] = ids('cmp', 3);
    await anon([{ ...good(a), ad_id: ad, campaign_id: 'foreign' }]);
    await keyed([{ ...good(b), ad_id: ad, campaign_id: 'from-server' }]);
    await new Campaigns(ingest.runtime.redis, ingest.config.dedup.keyPrefix).set(ad, 'from-operator');
    await keyed([{ ...good(c), ad_id: ad, campaign_id: 'from-server' }]);
    const seen = await readTopic(ingest.config, topicNames(ingest.config).clicks, (ms) => [a, b, c].every((id) => clickIds(ms).includes(id)));
    const campaignOf = (id: string) => seen.find((m) => m.key === id)?.message;
    expect([campaignOf(a), campaignOf(b), campaignOf(c)].map((m) => (m && 'campaign_id' in m ? m.campaign_id : 'missing'))).toEqual([null, 'from-server', 'from-operator']);
  });

  it('an unknown, revoked or stats key gets 401/403 and nothing is accepted', async () => {
    const { key } = await addKey(ingest.config.api.keysFile, { kind: 'ingest' }, 'to-revoke');
    const [a = '', b = '', c = ''] = ids('key', 3);
    // A new key is seen within the keys file's recheck interval.
    await eventually(async () => ((await anon([good(a)], { authorization: `Bearer ${key}` })).status === 200 ? true : undefined), 10_000, 'new key taken');
    await revokeKey(ingest.config.api.keysFile, 'to-revoke');
    // Until the revocation is seen, the key still works: each attempt uses a fresh click.
    await eventually(async () => ((await anon([good(`${b}-${Math.random().toString(36).slice(2, 6)}`)], { authorization: `Bearer ${key}` })).status === 401 ? true : undefined), 10_000, 'revoked key refused');
    expect((await anon([good(c)], { authorization: 'Bearer tb_unknown' })).status).toBe(401);
    const { key: stats } = await addKey(ingest.config.api.keysFile, { kind: 'all' }, 'stats-reader');
    await eventually(async () => ((await anon([good(c)], { authorization: `Bearer ${stats}` })).status === 403 ? true : undefined), 10_000, 'stats key refused');
    // c, refused twice, was never decided: sent again anonymously, it is a new click.
    expect((await statusesOf(await anon([{ ...good(c), user_id: 'fresh-c' }]))).map((r) => r.status)).toEqual(['accepted']);
  });
});

describe('defect 5: links signed with the secret that used to be in the source', () => {
  it('are refused with 400 and never redirect; the value is refused as configuration', async () => {
    const old = 'dev-only-link-secret-change-me';
    const forged = signLink({ adId: 'ad1', url: 'https://evil.example/phish', campaignId: null }, { k1: old }, 'k1');
    const res = await fetch(`${base}/c/${forged}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(() => loadConfig(environmentWith({ TOLLBOOTH_LINK_SECRETS: `k1:${old}` }))).toThrow(/known development value/);
  });
});

describe('expired links', () => {
  it('still redirect, and their click is written nowhere', async () => {
    const { linkSecrets, linkKeyId } = ingest.config.ingest;
    const ad = `exp-${Math.random().toString(36).slice(2)}`;
    const expired = signLink({ adId: ad, url: 'https://example.com/exp', campaignId: null, expiresAt: Date.now() - 1000 }, linkSecrets, linkKeyId);
    const live = signLink({ adId: ad, url: 'https://example.com/live', campaignId: null, expiresAt: Date.now() + 60_000 }, linkSecrets, linkKeyId);
    const res = await fetch(`${base}/c/${expired}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
    expect([res.status, res.headers.get('location')]).toEqual([302, 'https://example.com/exp']);
    // The same visitor follows a live link of the ad: accepted, so the expired one claimed nothing.
    expect((await fetch(`${base}/c/${live}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } })).status).toBe(302);
    const seen = await readTopic(ingest.config, topicNames(ingest.config).clicks, (ms) => ms.some((m) => m.message.kind === 'click' && m.message.ad_id === ad));
    expect(seen.filter((m) => m.message.kind === 'click' && m.message.ad_id === ad)).toHaveLength(1);
  });
});
