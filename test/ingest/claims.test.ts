/**
 * What a caller may claim, over a real socket against the real Redis and Kafka: an anonymous
 * caller's ip and campaign are not believed, keys are checked, links signed with the secret
 * that used to be in the source are refused, expired links redirect and count nothing.
 */
import { describe, expect, it } from 'vitest';
import { addKey, revokeKey } from '../../src/api/auth/keys-file.ts';
import { Blocklist } from '../../src/dedup/blocklist.ts';
import { Campaigns } from '../../src/dedup/campaigns.ts';
import { signLink } from '../../src/ingest/link-token.ts';
import { environmentWith, loadConfig } from '../../src/shared/config.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { eventually } from '../helpers/prefix.ts';
import { BROWSER, clickIds, readTopic } from './harness.ts';
import { goodClick, useListeningIngest } from './listening-ingest.ts';

const server = useListeningIngest('claims');

const now = Date.now();
const good = (id: string) => goodClick(id, now);
const statusesOf = async (res: Response) =>
  ((await res.json()) as { results: { status: string; error?: string }[] }).results;
const ids = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${tag}-${i}-${Math.random().toString(36).slice(2, 8)}`);

describe('defect 4: what an anonymous caller claims', () => {
  const anon = (items: unknown[], headers: Record<string, string> = {}) =>
    fetch(`${server.base}/v1/clicks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER, ...headers },
      body: JSON.stringify(items),
    });
  const keyed = (items: unknown[]) => anon(items, { authorization: `Bearer ${server.ingest.ingestKey}` });

  it('claimed ips do not lift the rate limit', async () => {
    const user = `rl-${Math.random().toString(36).slice(2)}`;
    const items = ids('rl', 7).map((id, i) => ({
      ...good(id),
      user_id: user,
      ad_id: `ad-${i}`,
      ip: `198.51.100.${i + 1}`,
    }));
    expect((await statusesOf(await anon(items))).map((r) => r.status)).toEqual([
      ...Array(5).fill('accepted'),
      'rate_limited',
      'rate_limited',
    ]);
  });

  it('a claimed ip does not dodge the ip blocklist', async () => {
    const list = new Blocklist(server.ingest.runtime.redis, server.ingest.config.dedup.keyPrefix);
    await list.add('ip', '127.0.0.1'); // the test's own peer address, in the test's own key prefix
    try {
      const [a = '', b = ''] = ids('bl', 2);
      expect((await statusesOf(await anon([{ ...good(a), ip: '198.51.100.9' }]))).map((r) => r.status)).toEqual([
        'blocked',
      ]);
      // A server with an ingest key speaks for its users: their ip is the body's.
      expect((await statusesOf(await keyed([{ ...good(b), ip: '198.51.100.9' }]))).map((r) => r.status)).toEqual([
        'accepted',
      ]);
    } finally {
      await list.remove('ip', '127.0.0.1');
    }
  });

  it('a claimed campaign_id is ignored; the operator and ingest-key callers decide', async () => {
    const ad = `cmp-ad-${Math.random().toString(36).slice(2)}`;
    const [a = '', b = '', c = ''] = ids('cmp', 3);
    await anon([{ ...good(a), ad_id: ad, campaign_id: 'foreign' }]);
    await keyed([{ ...good(b), ad_id: ad, campaign_id: 'from-server' }]);
    await new Campaigns(server.ingest.runtime.redis, server.ingest.config.dedup.keyPrefix).set(ad, 'from-operator');
    await keyed([{ ...good(c), ad_id: ad, campaign_id: 'from-server' }]);
    const seen = await readTopic(server.ingest.config, topicNames(server.ingest.config).clicks, (ms) =>
      [a, b, c].every((id) => clickIds(ms).includes(id)),
    );
    const campaignOf = (id: string) => seen.find((m) => m.key === id)?.message;
    expect(
      [campaignOf(a), campaignOf(b), campaignOf(c)].map((m) => (m && 'campaign_id' in m ? m.campaign_id : 'missing')),
    ).toEqual([null, 'from-server', 'from-operator']);
  });

  it('an unknown, revoked or stats key gets 401/403 and nothing is accepted', async () => {
    const { key } = await addKey(server.ingest.config.api.keysFile, { kind: 'ingest' }, 'to-revoke');
    const [a = '', b = '', c = ''] = ids('key', 3);
    // A new key is seen within the keys file's recheck interval.
    await eventually(
      async () => ((await anon([good(a)], { authorization: `Bearer ${key}` })).status === 200 ? true : undefined),
      10_000,
      'new key taken',
    );
    await revokeKey(server.ingest.config.api.keysFile, 'to-revoke');
    // Until the revocation is seen, the key still works: each attempt uses a fresh click.
    await eventually(
      async () =>
        (await anon([good(`${b}-${Math.random().toString(36).slice(2, 6)}`)], { authorization: `Bearer ${key}` }))
          .status === 401
          ? true
          : undefined,
      10_000,
      'revoked key refused',
    );
    expect((await anon([good(c)], { authorization: 'Bearer tb_unknown' })).status).toBe(401);
    const { key: stats } = await addKey(server.ingest.config.api.keysFile, { kind: 'all' }, 'stats-reader');
    await eventually(
      async () => ((await anon([good(c)], { authorization: `Bearer ${stats}` })).status === 403 ? true : undefined),
      10_000,
      'stats key refused',
    );
    // c, refused twice, was never decided: sent again anonymously, it is a new click.
    expect((await statusesOf(await anon([{ ...good(c), user_id: 'fresh-c' }]))).map((r) => r.status)).toEqual([
      'accepted',
    ]);
  });
});

describe('defect 5: links signed with the secret that used to be in the source', () => {
  it('are refused with 400 and never redirect; the value is refused as configuration', async () => {
    const old = 'dev-only-link-secret-change-me';
    const forged = signLink({ adId: 'ad1', url: 'https://evil.example/phish', campaignId: null }, { k1: old }, 'k1');
    const res = await fetch(`${server.base}/c/${forged}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(() => loadConfig(environmentWith({ TOLLBOOTH_LINK_SECRETS: `k1:${old}` }))).toThrow(
      /known development value/,
    );
  });
});

describe('expired links', () => {
  it('still redirect, and their click is written nowhere', async () => {
    const { linkSecrets, linkKeyId } = server.ingest.config.ingest;
    const ad = `exp-${Math.random().toString(36).slice(2)}`;
    const expired = signLink(
      { adId: ad, url: 'https://example.com/exp', campaignId: null, expiresAt: Date.now() - 1000 },
      linkSecrets,
      linkKeyId,
    );
    const live = signLink(
      { adId: ad, url: 'https://example.com/live', campaignId: null, expiresAt: Date.now() + 60_000 },
      linkSecrets,
      linkKeyId,
    );
    const res = await fetch(`${server.base}/c/${expired}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
    expect([res.status, res.headers.get('location')]).toEqual([302, 'https://example.com/exp']);
    // The same visitor follows a live link of the ad: accepted, so the expired one claimed nothing.
    expect(
      (await fetch(`${server.base}/c/${live}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } })).status,
    ).toBe(302);
    const seen = await readTopic(server.ingest.config, topicNames(server.ingest.config).clicks, (ms) =>
      ms.some((m) => m.message.kind === 'click' && m.message.ad_id === ad),
    );
    expect(seen.filter((m) => m.message.kind === 'click' && m.message.ad_id === ad)).toHaveLength(1);
  });
});
