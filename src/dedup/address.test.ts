import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { addressGroup, anonLimiter } from './address.ts';

describe('addressGroup', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:DB8:0000:0001:2:3:4:5', '2001:db8:0:1::/64'],
    ['2001:db8:0:1::ffff', '2001:db8:0:1::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
  ])('%s counts as %s', (ip, group) => {
    expect(addressGroup(ip)).toBe(group);
  });
});

describe('anonLimiter', () => {
  const limit = anonLimiter({
    perAddressAd: 5,
    perAddress: 30,
    natRanges: [
      { cidr: '100.64.0.0/10', perAddress: 300 },
      { cidr: '2001:db8:aa::/48', perAddress: 60 },
    ],
  });

  it('raises both limits by the same factor inside a NAT range, and only there', () => {
    expect(limit('100.64.3.4')).toEqual({ group: '100.64.3.4', perAddress: 300, perAddressAd: 50 });
    expect(limit('2001:db8:aa:1::9')).toEqual({ group: '2001:db8:aa:1::/64', perAddress: 60, perAddressAd: 10 });
    expect(limit('100.128.0.1')).toEqual({ group: '100.128.0.1', perAddress: 30, perAddressAd: 5 });
  });
});

describe('TOLLBOOTH_ANON_NAT_RANGES', () => {
  it('parses CIDR=limit pairs and refuses anything else, naming the setting', () => {
    const env = (v: string) => ({ TOLLBOOTH_ANON_NAT_RANGES: v, TOLLBOOTH_STACK_DIR: '.stack' });
    expect(loadConfig(env('100.64.0.0/10=600, 2001:db8::/48=90')).dedup.anon.natRanges).toEqual([
      { cidr: '100.64.0.0/10', perAddress: 600 },
      { cidr: '2001:db8::/48', perAddress: 90 },
    ]);
    for (const bad of ['100.64.0.0=600', '100.64.0.0/33=600', 'nat/8=1', '10.0.0.0/8=many'])
      expect(() => loadConfig(env(bad))).toThrow(ConfigError);
  });
});
