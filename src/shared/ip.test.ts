import { describe, expect, it } from 'vitest';
import { normalizeIp } from './ip.ts';

describe('normalizeIp', () => {
  it.each([
    ['203.0.113.77', '203.0.113.77'],
    ['::ffff:203.0.113.77', '203.0.113.77'],
    ['::FFFF:cb00:714d', '203.0.113.77'],
    ['0:0:0:0:0:ffff:cb00:714d', '203.0.113.77'],
    ['0000:0000:0000:0000:0000:FFFF:203.0.113.77', '203.0.113.77'],
    ['::ffff:0:0', '0.0.0.0'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0001:0000:0000:0000:0001', '2001:db8:0:1::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
    // IPv4-compatible (deprecated) and NAT64 addresses are other hosts, not the IPv4 address.
    ['64:ff9b::203.0.113.77', '64:ff9b::cb00:714d'],
    ['not an ip', 'not an ip'],
  ])('%s -> %s', (ip, normalized) => expect(normalizeIp(ip)).toBe(normalized));
});
