/** The verdict model for senders' namespaces and anonymous callers' address limits (docs/ingest.md). */
import { describe, expect, it } from 'vitest';
import type { Click } from '../shared/click.ts';
import { click, MINUTE, setup, T0 } from './rules-testing.ts';

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
