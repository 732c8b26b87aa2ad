import { describe, expect, it } from 'vitest';
import { BROWSER, click, MINUTE, setup, T0 } from './rules-testing.ts';

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
