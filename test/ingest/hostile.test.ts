/**
 * Hostile input over a real socket: each gets a clear 4xx or an `invalid` item, and the ingest
 * keeps serving. Bodies go through the real HTTP parser and the real body limit, not app.inject.
 */
import { describe, expect, it } from 'vitest';
import { signLink } from '../../src/ingest/link-token.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { BROWSER, clickIds, readTopic } from './harness.ts';
import { goodClick, useListeningIngest } from './listening-ingest.ts';

const server = useListeningIngest('hostile');

const now = Date.now();
const good = (id: string) => goodClick(id, now);
// As an ad server with an ingest key by default: anonymous callers' address limits have tests of their own
// (anonymous.test.ts); `keyed = false` for what only an anonymous caller meets.
const post = (body: string, type = 'application/json', keyed = true) =>
  fetch(`${server.base}/v1/clicks`, {
    method: 'POST',
    headers: {
      'content-type': type,
      'user-agent': BROWSER,
      ...(keyed ? { authorization: `Bearer ${server.ingest.ingestKey}` } : {}),
    },
    body,
  });

async function stillServing(): Promise<void> {
  const res = await post(JSON.stringify(good(`alive-${Math.random().toString(36).slice(2)}`)));
  expect(res.status).toBe(200);
}

describe('hostile input', () => {
  it.each([
    ['malformed JSON', () => post('{"click_id": "a", '), 400],
    ['a bare string', () => post('"hello"'), 400],
    // 2 MB: over the anonymous limit, so sent with a key to reach the nesting bound.
    ['deep nesting', () => post('['.repeat(1_000_000) + ']'.repeat(1_000_000), 'application/json', true), 400],
    ['a 10 MB body with a key', () => post(' '.repeat(10 * 1024 * 1024), 'application/json', true), 413],
    [
      '10,001 items with a key',
      () => post(JSON.stringify(Array.from({ length: 10_001 }, () => 0)), 'application/json', true),
      413,
    ],
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
    // About 3 MB: over the anonymous limit, so sent with a key.
    const res = await post(JSON.stringify(items), 'application/json', true);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { invalid: number; results: { status: string; error?: string }[] };
    expect(body.invalid).toBe(items.length);
    body.results.forEach((r, i) =>
      expect(r.error?.startsWith(`${fields[Math.floor(i / 4)]}: `), JSON.stringify(r)).toBe(true),
    );
    await stillServing();
  });

  it('refuses tampered and truncated link tokens and header-injection landing URLs, never redirecting', async () => {
    const { linkSecrets, linkKeyId } = server.ingest.config.ingest;
    const token = signLink({ adId: 'ad1', url: 'https://example.com/', campaignId: null }, linkSecrets, linkKeyId);
    const [kid, , sig] = token.split('.');
    const evil = Buffer.from(
      JSON.stringify({ ad: 'ad1', url: 'https://example.com/\r\nSet-Cookie: pwned=1' }),
    ).toString('base64url');
    const otherSite = Buffer.from(JSON.stringify({ ad: 'ad1', url: 'https://evil.example/' })).toString('base64url');
    for (const bad of [
      token.slice(0, 20),
      token.slice(0, -1),
      `${kid}.${otherSite}.${sig}`,
      `${kid}.${evil}.${sig}`,
      otherSite,
      '%0d%0aLocation:%20https://evil.example/',
      'a'.repeat(6000),
    ]) {
      const res = await fetch(`${server.base}/c/${bad}`, { redirect: 'manual' });
      expect(res.status, bad.slice(0, 30)).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(() =>
      signLink(
        { adId: 'ad1', url: 'https://example.com/\r\nSet-Cookie: pwned=1', campaignId: null },
        linkSecrets,
        linkKeyId,
      ),
    ).toThrow();
    const ok = await fetch(`${server.base}/c/${token}`, { redirect: 'manual' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('https://example.com/');
    await stillServing();
  });
});

const statusesOf = async (res: Response) =>
  ((await res.json()) as { results: { status: string; error?: string }[] }).results;
const ids = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${tag}-${i}-${Math.random().toString(36).slice(2, 8)}`);

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
    const seen = await readTopic(server.ingest.config, topicNames(server.ingest.config).clicks, (ms) =>
      after.every((id) => clickIds(ms).includes(id)),
    );
    expect(seen.some((m) => JSON.stringify(m.message).includes('\\ud800'))).toBe(false);
    expect(clickIds(seen).filter((id) => bad.includes(id))).toEqual([]);
  });

  it('in the User-Agent header of an anonymous caller', async () => {
    const [id = ''] = ids('ua', 1);
    // HTTP headers are latin1: a C1 control character is what a hostile header can carry.
    const res = await fetch(`${server.base}/v1/clicks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla\x85' },
      body: JSON.stringify({ click_id: id, ad_id: 'ad1', user_id: 'u', ts: Date.now() }),
    });
    expect((await statusesOf(res))[0]?.status).toBe('invalid');
  });
});
