import { describe, expect, it } from 'vitest';
import { recordingStore, testApp } from './testing.ts';

describe('security headers', () => {
  it('sends CSP, frame, referrer and sniffing policies on the dashboard, /docs and the API', async () => {
    const app = testApp(recordingStore(), { k1: { kind: 'all' } });
    for (const url of [
      '/',
      '/dashboard/dashboard.js',
      '/docs',
      '/docs/static/swagger-initializer.js',
      '/docs/openapi.json',
      '/v1/ads/top?from=0&to=60000',
      '/nowhere',
    ]) {
      const res = await app.inject({ url, headers: { authorization: 'Bearer k1' } });
      expect(res.headers['content-security-policy'], url).toMatch(
        /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/,
      );
      expect(res.headers['content-security-policy'], url).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
    expect(
      (await app.inject({ url: '/v1/ads/top?from=0&to=60000', headers: { authorization: 'Bearer k1' } })).headers[
        'cache-control'
      ],
    ).toBe('no-store');
    await app.close();
  });

  it('has no inline script on the dashboard and /docs, which the policy would block', async () => {
    const app = testApp(recordingStore(), {});
    for (const url of ['/', '/docs']) {
      const html = (await app.inject({ url })).body;
      expect(html, url).toContain('<script');
      expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g), url).toBeNull();
      expect(html, url).not.toMatch(/\son[a-z]+=/i); // no inline event handlers either
    }
    await app.close();
  });
});
