/** How a batch is cut into waves for Redis Cluster (the decisions themselves: test/redis-cluster/). */
import { describe, expect, it } from 'vitest';
import { anonLimiter } from './address.ts';
import { itemOf, waves } from './cluster-plan.ts';
import { toPending } from './decide.ts';
import { click, MINUTE, T0 } from './rules-testing.ts';
import type { Click } from '../shared/click.ts';

const arrival = {
  windowMs: MINUTE,
  receivedAt: T0,
  addressLimit: anonLimiter({ perAddressAd: 5, perAddress: 30, natRanges: [] }),
};
const cut = (clicks: Click[]) =>
  waves(clicks.map((c) => itemOf(toPending(c, arrival), 'p:'))).map((w) => w.map((it) => it.p.click.click_id));

describe('waves', () => {
  it('keeps keyed clicks with distinct click_ids in one wave, even of one user', () => {
    const clicks = [1, 2, 3].map((i) => click({ click_id: `k${i}`, ad_id: 'ad1' }));
    expect(cut(clicks)).toEqual([['k1', 'k2', 'k3']]);
  });

  it('starts a wave at a click_id seen earlier in the wave (of the same sender only)', () => {
    const a = click({ click_id: 'a' });
    const b = click({ click_id: 'b', user_id: 'u2' });
    expect(cut([a, b, a, { ...a, sender: 'server-b' }, a])).toEqual([['a', 'b'], ['a', 'a'], ['a']]);
  });

  it('starts a wave at a click sharing a claim or rate key with an earlier anonymous click', () => {
    const anon = (id: string, over: Partial<Click> = {}) => click({ click_id: id, sender: null, ...over });
    // Same user and ip (rate key), then same user and ad (claim), then another user: no conflict.
    expect(
      cut([
        anon('x', { ad_id: 'a1' }),
        anon('y', { ad_id: 'a2' }),
        anon('z', { ad_id: 'a2', ip: '10.9.9.9' }),
        anon('w', { user_id: 'other' }),
      ]),
    ).toEqual([['x'], ['y'], ['z', 'w']]);
    // A bot makes no claim: it never starts a wave for what follows.
    const bot = anon('bot', { user_agent: 'curl/8.5.0' });
    expect(cut([bot, anon('after')])).toEqual([['bot', 'after']]);
  });
});
