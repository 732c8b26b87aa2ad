/**
 * What a click's identity is, against the real Redis and Kafka: ips are normalized before the
 * blocklist (an IPv4-mapped IPv6 address is its IPv4 address), user_ids are taken in NFC and
 * refused with invisible or edge characters, and an ingest key names only its campaigns.
 */
import { describe, expect, it } from 'vitest';
import { addKey } from '../../src/api/auth/keys-file.ts';
import { Blocklist } from '../../src/dedup/blocklist.ts';
import { BROWSER } from './harness.ts';
import { useListeningIngest } from './listening-ingest.ts';

const server = useListeningIngest('identities');

interface Reply {
  accepted: number;
  results: { click_id: string | null; status: string; error?: string }[];
}

async function send(items: object[], opts: { key?: string; remoteAddress?: string } = {}): Promise<Reply> {
  const res = await server.ingest.app.inject({
    method: 'POST',
    url: '/v1/clicks',
    remoteAddress: opts.remoteAddress,
    headers: {
      'content-type': 'application/json',
      'user-agent': BROWSER,
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
    },
    payload: JSON.stringify(items),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Reply>();
}

const unique = () => Math.random().toString(36).slice(2, 10);
const click = (over: object) => ({
  click_id: `c-${unique()}`,
  ad_id: `ad-${unique()}`,
  user_id: `u-${unique()}`,
  ts: Date.now(),
  ...over,
});
const statuses = (r: Reply) => r.results.map((x) => x.status);

describe('ip normalization', () => {
  it('blocks the IPv4-mapped forms of a blocklisted ip, from a key or from the peer address', async () => {
    const list = new Blocklist(server.ingest.runtime.redis, server.ingest.config.dedup.keyPrefix);
    await list.add('ip', '203.0.113.77');
    const key = server.ingest.ingestKey;
    const mapped = ['::ffff:203.0.113.77', '::FFFF:cb00:714d', '0:0:0:0:0:ffff:203.0.113.77', '::ffff:203.0.113.78'];
    expect(
      statuses(
        await send(
          mapped.map((ip) => click({ ip })),
          { key },
        ),
      ),
    ).toEqual(['blocked', 'blocked', 'blocked', 'accepted']);
    expect(statuses(await send([click({})], { remoteAddress: '::ffff:203.0.113.77' }))).toEqual(['blocked']);
  });

  it('blocklist add normalizes the ip it stores', async () => {
    const list = new Blocklist(server.ingest.runtime.redis, server.ingest.config.dedup.keyPrefix);
    expect(await list.add('ip', '::ffff:198.51.100.9')).toBe(true);
    expect(await list.add('ip', '198.51.100.9')).toBe(false);
    await list.add('ip', '2001:DB8:0:0:0:0:0:9');
    expect(await list.list('ip')).toEqual(expect.arrayContaining(['198.51.100.9', '2001:db8::9']));
    const ips = ['198.51.100.9', '2001:db8::9', '2001:0db8::0:9'];
    expect(
      statuses(
        await send(
          ips.map((ip) => click({ ip })),
          { key: server.ingest.ingestKey },
        ),
      ),
    ).toEqual(['blocked', 'blocked', 'blocked']);
  });
});

describe('user_id look-alikes', () => {
  it('are one user in NFC: a decomposed é is a duplicate of the composed one', async () => {
    const ad = `ad-${unique()}`;
    const reply = await send(
      [click({ ad_id: ad, user_id: 'jos\u00e9' }), click({ ad_id: ad, user_id: 'jose\u0301' })],
      {
        key: server.ingest.ingestKey,
      },
    );
    expect(statuses(reply)).toEqual(['accepted', 'duplicate']);
  });

  it.each([
    ['a zero-width space', 'user\u200b1', 'must not contain format characters (zero-width, BOM, direction marks)'],
    ['a byte order mark', '\ufeffuser1', 'must not contain format characters (zero-width, BOM, direction marks)'],
    ['a line separator', 'user1\u2028', 'must not contain line or paragraph separators'],
    ['a paragraph separator', 'user\u20291', 'must not contain line or paragraph separators'],
    ['a noncharacter', 'user1\uffff', 'must not contain noncharacters (such as U+FFFF)'],
    ['a noncharacter of another plane', 'user1\u{10ffff}', 'must not contain noncharacters (such as U+FFFF)'],
    ['trailing white space', 'user1 ', 'must not start or end with white space'],
    ['leading white space', '\u00a0user1', 'must not start or end with white space'],
    ['a lone surrogate', 'user\ud8001', 'must be well-formed Unicode (no lone surrogates)'],
  ])('with %s are invalid, naming the field and why', async (_name, userId, why) => {
    const reply = await send([click({ user_id: userId })]);
    expect(reply.results).toEqual([{ click_id: expect.any(String), status: 'invalid', error: `user_id: ${why}` }]);
  });
});

describe('the campaigns an ingest key may name', () => {
  it('make a click naming another campaign invalid; a key without a list names any', async () => {
    const { key } = await addKey(
      server.ingest.config.api.keysFile,
      { kind: 'ingest', campaigns: ['c1', 'c2'] },
      'listed',
    );
    const reply = await send(
      [click({ campaign_id: 'c1' }), click({ campaign_id: 'rival' }), click({}), click({ campaign_id: null })],
      { key },
    );
    expect(reply.results.map(({ status, error }) => ({ status, error }))).toEqual([
      { status: 'accepted', error: undefined },
      { status: 'invalid', error: 'campaign_id: this key may name only campaigns c1, c2' },
      { status: 'accepted', error: undefined },
      { status: 'accepted', error: undefined },
    ]);
    const any = await send([click({ campaign_id: 'rival' })], { key: server.ingest.ingestKey });
    expect(statuses(any)).toEqual(['accepted']);
  });
});
