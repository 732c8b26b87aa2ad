import { describe, expect, it } from 'vitest';
import type { Click } from '../shared/click.ts';
import { anonLimiter } from './address.ts';
import { decideVerdicts } from './decide.ts';
import { MemoryVerdictStore } from './memory-store.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

function click(over: Partial<Click> = {}): Click {
  const c = {
    click_id: `c${Math.random().toString(36).slice(2)}`,
    ad_id: 'ad1',
    user_id: 'u1',
    ts: T0,
    ip: '10.0.0.1',
    user_agent: BROWSER,
    campaign_id: null,
    sender: 'server-a',
    ...over,
  };
  return { client_ts: c.ts, ...c };
}

const addressLimit = anonLimiter({
  perAddressAd: 5,
  perAddress: 30,
  natRanges: [{ cidr: '100.64.0.0/10', perAddress: 60 }],
});

function setup(receivedAt: number | null = null) {
  const store = new MemoryVerdictStore({ ratePerWindow: 5 });
  const decisions = (clicks: Click[], at = receivedAt) =>
    decideVerdicts(store, clicks, { windowMs: MINUTE, receivedAt: at, addressLimit });
  return {
    store,
    decisions,
    decide: async (clicks: Click[], at = receivedAt) => (await decisions(clicks, at)).map((d) => d.verdict),
  };
}

describe('verdict rules', () => {
  it('accepts the 5th click of a user and ip in a minute and rate-limits the 6th', async () => {
    const { decide } = setup();
    const clicks = [1, 2, 3, 4, 5, 6].map((i) => click({ ad_id: `ad${i}`, ts: T0 + i * 1000 }));
    expect(await decide(clicks)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'rate_limited']);
  });

  it('counts the rate per (user, ip): another ip of the same user is not limited', async () => {
    const { decide } = setup();
    const clicks = [1, 2, 3, 4, 5].map((i) => click({ ad_id: `ad${i}` }));
    await decide(clicks);
    expect(await decide([click({ ad_id: 'ad6', ip: '10.0.0.2' }), click({ ad_id: 'ad7' })])).toEqual([
      'accepted',
      'rate_limited',
    ]);
  });

  it('flags a second click on the same ad in the same minute as duplicate, but not across the boundary', async () => {
    const { decide } = setup();
    const end = T0 + MINUTE - 1;
    expect(await decide([click({ ts: T0 }), click({ ts: end }), click({ ts: end + 1 })])).toEqual([
      'accepted',
      'duplicate',
      'accepted',
    ]);
  });

  it('starts a fresh rate window at the minute boundary', async () => {
    const { decide } = setup();
    const before = [1, 2, 3, 4, 5].map((i) => click({ ad_id: `ad${i}`, ts: T0 + MINUTE - 1 }));
    expect(
      await decide([...before, click({ ad_id: 'x', ts: T0 + MINUTE - 1 }), click({ ad_id: 'x', ts: T0 + MINUTE })]),
    ).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'rate_limited', 'accepted']);
  });

  it('returns the first verdict for a retry of an accepted and of a rejected click', async () => {
    const { decide } = setup();
    const a = click();
    const d = click();
    expect(await decide([a, d])).toEqual(['accepted', 'duplicate']);
    expect(await decide([d, a, a])).toEqual(['duplicate', 'accepted', 'accepted']);
  });

  it('remembers content: a click_id resent with another ad, user or client_ts is a duplicate produced nowhere', async () => {
    const { decisions } = setup();
    const first = click({ ad_id: 'ad-a' });
    expect(await decisions([first])).toEqual([
      { verdict: 'accepted', ts: T0, produce: true, campaignId: null, reason: null },
    ]);
    for (const other of [{ ad_id: 'ad-b' }, { user_id: 'u2' }, { client_ts: T0 + 1 }]) {
      expect(await decisions([{ ...first, ...other }])).toEqual([
        { verdict: 'duplicate', ts: T0, produce: false, campaignId: null, reason: null },
      ]);
    }
    // A later resend of the same content still gets its first verdict.
    expect((await decisions([first]))[0]?.verdict).toBe('accepted');
  });

  it('re-produces a resend with its first event time until its first write is acknowledged', async () => {
    const { store, decisions } = setup();
    const first = click({ ts: T0 + 5000, client_ts: T0 + 5000 });
    await decisions([first]);
    // The resend is corrected to another event time (a later receive time): it carries the first.
    expect(await decisions([{ ...first, ts: T0 + 9000 }])).toEqual([
      { verdict: 'accepted', ts: T0 + 5000, produce: true, campaignId: null, reason: null },
    ]);
    await store.markWritten([{ sender: first.sender, clickId: first.click_id }]);
    expect(await decisions([first])).toEqual([
      { verdict: 'accepted', ts: T0 + 5000, produce: false, campaignId: null, reason: null },
    ]);
  });

  it('gives every click of an ad the campaign the operator set, whatever the click names', async () => {
    const { store, decisions } = setup();
    store.campaigns.set('ad-x', 'cmp-owner');
    const [mapped, own] = await decisions([
      click({ ad_id: 'ad-x', campaign_id: 'cmp-thief' }),
      click({ ad_id: 'ad-y', campaign_id: 'cmp-y' }),
    ]);
    expect([mapped?.campaignId, own?.campaignId]).toEqual(['cmp-owner', 'cmp-y']);
  });

  it('does not count a retry against the rate limit', async () => {
    const { decide } = setup();
    const first = click({ ad_id: 'ad0' });
    await decide([first, first, first, first, first, first]);
    expect(await decide([1, 2, 3, 4].map((i) => click({ ad_id: `ad${i}` })))).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
  });

  it('applies the rules in contract order on a mixed batch', async () => {
    const { store, decide } = setup();
    store.blockedIps.add('6.6.6.6');
    store.blockedUsers.add('mallory');
    const bot = click({ user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)', ip: '6.6.6.6' });
    const verdicts = await decide([
      click({ ad_id: 'a' }),
      bot,
      click({ ip: '6.6.6.6' }),
      click({ user_id: 'mallory' }),
      click({ ad_id: 'a' }),
      click({ ad_id: 'b' }),
      bot,
    ]);
    expect(verdicts).toEqual(['accepted', 'bot', 'blocked', 'blocked', 'duplicate', 'accepted', 'bot']);
  });

  it('keeps a bot click_id on its first verdict even if a later retry has a browser agent', async () => {
    const { decide } = setup();
    const bot = click({ user_agent: 'curl/8.5.0' });
    expect(await decide([bot])).toEqual(['bot']);
    expect(await decide([{ ...bot, user_agent: BROWSER }])).toEqual(['bot']);
  });

  it('does not let a blocked or rate-limited click count towards duplicates', async () => {
    const { store, decide } = setup();
    store.blockedUsers.add('u1');
    await decide([click()]);
    store.blockedUsers.delete('u1');
    expect(await decide([click()])).toEqual(['accepted']);
  });
});

describe('senders and anonymous callers', () => {
  const anon = (over: Partial<Click> = {}) => click({ sender: null, ...over });

  it('keeps each sender in its own namespace: an anonymous click_id or user never makes a keyed click a duplicate', async () => {
    const { decide } = setup(T0);
    expect(
      await decide([anon({ click_id: 'x', ad_id: 'attacker' }), anon({ user_id: 'victim', ad_id: 'ad9' })]),
    ).toEqual(['accepted', 'accepted']);
    expect(
      await decide([click({ click_id: 'x', ad_id: 'victim' }), click({ user_id: 'victim', ad_id: 'ad9' })]),
    ).toEqual(['accepted', 'accepted']);
    expect(await decide([click({ click_id: 'x', ad_id: 'victim', sender: 'server-b' })])).toEqual(['accepted']);
  });

  it('limits an anonymous address to 5 clicks per ad and 30 in all per minute received, whatever user it claims', async () => {
    const { decisions } = setup(T0);
    const onOneAd = await decisions(Array.from({ length: 10 }, (_, i) => anon({ user_id: `u${i}` })));
    expect(onOneAd.map((d) => d.verdict)).toEqual([...Array(5).fill('accepted'), ...Array(5).fill('rate_limited')]);
    expect(onOneAd.slice(5).map((d) => d.reason)).toEqual(Array(5).fill('address_ad'));
    const spread = await decisions(Array.from({ length: 30 }, (_, i) => anon({ user_id: `v${i}`, ad_id: `x${i}` })));
    expect(spread.filter((d) => d.verdict === 'accepted')).toHaveLength(25);
    expect(spread.at(-1)?.reason).toBe('address');
    // A keyed sender's clicks from the same ip are its own business.
    expect(await decisions([click({ user_id: 'w' })]).then((ds) => ds.map((d) => d.verdict))).toEqual(['accepted']);
  });

  it('counts anonymous clicks in the minute received, not the minute claimed', async () => {
    const { decide } = setup(T0 + 30_000);
    const backdated = Array.from({ length: 60 }, (_, i) => anon({ ad_id: `b${i}`, ts: T0 - i * MINUTE }));
    expect((await decide(backdated)).filter((v) => v === 'accepted')).toHaveLength(5);
    // The next minute received opens a fresh window.
    expect(await decide([anon({ ad_id: 'next' })], T0 + MINUTE)).toEqual(['accepted']);
  });

  it('groups IPv6 by /64 and raises the limits of a NAT range', async () => {
    const { decide } = setup(T0);
    const v6 = await decide(
      Array.from({ length: 7 }, (_, i) => anon({ user_id: `p${i}`, ip: `2001:db8:1:2::${i + 1}` })),
    );
    expect(v6.filter((v) => v === 'accepted')).toHaveLength(5);
    const nat = await decide(Array.from({ length: 12 }, (_, i) => anon({ user_id: `n${i}`, ip: '100.64.0.9' })));
    expect(nat.filter((v) => v === 'accepted')).toHaveLength(10);
  });

  it('answers a retry of a click decided before namespaces from the unscoped memory, same content only', async () => {
    const { store, decide } = setup(T0);
    const old = click({ ts: T0, client_ts: T0 });
    store.legacy.set(old.click_id, {
      verdict: 'rate_limited',
      ts: T0,
      content: `${old.ad_id}\n${old.user_id}\n${T0}`,
      acked: true,
    });
    expect(await decide([old])).toEqual(['rate_limited']);
    const other = click();
    store.legacy.set(other.click_id, { verdict: 'accepted', ts: T0, content: 'ad-x\nu-x\n1', acked: true });
    expect(await decide([{ ...other, ad_id: 'ad-other' }])).toEqual(['accepted']);
  });
});
