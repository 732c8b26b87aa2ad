import { describe, expect, it } from 'vitest';
import { isSafeLandingUrl, signLink, verifyLink } from './link-token.ts';

const secrets = { k1: 'first-secret-0123456789', k2: 'second-secret-0123456789' };
const link = { adId: 'ad-1', url: 'https://example.com/landing?x=1', campaignId: 'spring' };

describe('signed links', () => {
  it('verifies a token signed with any configured key', () => {
    for (const kid of ['k1', 'k2']) {
      expect(verifyLink(signLink(link, secrets, kid), secrets)).toEqual({
        ok: true,
        link: { ...link, expiresAt: null },
      });
    }
  });

  it('carries a signed expiry, to the second', () => {
    const token = signLink({ ...link, expiresAt: 1_800_000_000_500 }, secrets, 'k1');
    expect(verifyLink(token, secrets)).toEqual({ ok: true, link: { ...link, expiresAt: 1_800_000_001_000 } });
  });

  it('refuses a token whose key was removed, tampered or truncated ones, and junk', () => {
    const token = signLink(link, secrets, 'k1');
    const [kid, payload, sig] = token.split('.') as [string, string, string];
    const other = Buffer.from(JSON.stringify({ ad: 'ad-1', url: 'https://evil.example/' })).toString('base64url');
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
    for (const bad of [
      `${kid}.${other}.${sig}`,
      `k2.${payload}.${sig}`,
      `${kid}.${payload}.${flipped}`,
      token.slice(0, -3),
      `${kid}.${payload}`,
      `${kid}.${payload}.`,
      payload,
      '',
      `nokey.${payload}.${sig}`,
      `__proto__.${payload}.${sig}`,
      'x'.repeat(5000),
    ]) {
      expect(verifyLink(bad, secrets).ok, bad.slice(0, 40)).toBe(false);
    }
    expect(verifyLink(token, { k2: secrets.k2 }).ok).toBe(false);
  });

  it('refuses to sign or follow a landing URL with header-injection characters or a non-http scheme', () => {
    for (const url of [
      'https://a.example/\r\nSet-Cookie: x=1',
      'https://a.example/\n',
      'https://a.example/ x',
      'javascript:alert(1)',
      'ftp://a.example/',
      '//a.example/',
      'https://a.example/\u0000',
    ]) {
      expect(isSafeLandingUrl(url), JSON.stringify(url)).toBe(false);
      expect(() => signLink({ ...link, url }, secrets, 'k1')).toThrow();
    }
  });
});
