import { describe, expect, it } from 'vitest';
import { openApiSpec, specOperations } from './openapi.ts';
import { registeredRoutes } from './route-list.ts';
import { recordingStore, testApp } from './testing.ts';

/** Routes outside the spec on purpose: Swagger UI's own files and the dashboard page. */
const UNDOCUMENTED = (url: string): boolean =>
  url === '/docs/:asset' ||
  !(url.startsWith('/v1/') || ['/healthz', '/readyz', '/metrics'].includes(url) || url.startsWith('/docs'));

describe('the OpenAPI spec in the repo', () => {
  it('documents exactly the routes the app registers', async () => {
    const app = testApp(recordingStore(), {});
    await app.ready();
    const routes = registeredRoutes(app)
      .filter((r) => !UNDOCUMENTED(r.url))
      .map((r) => `${r.method} ${r.url}`);
    expect([...routes].sort()).toEqual([...specOperations(openApiSpec)].sort());
    await app.close();
  });

  it('keeps the stats API paths of the architecture contract', () => {
    expect(Object.keys(openApiSpec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/ads/{ad_id}/clicks',
        '/v1/ads/top',
        '/v1/ads/{ad_id}/rejected',
        '/v1/late',
        '/healthz',
        '/readyz',
        '/metrics',
        '/docs',
      ]),
    );
  });
});
