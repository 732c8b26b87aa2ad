import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { buildApp, type AppDeps } from './app.ts';
import { IngestMetrics } from './metrics.ts';
import { ingestOpenApi } from './routes/openapi.ts';

// Only route registration runs here: the dependencies are never called.
const unused = {} as never;

describe("the ingest's OpenAPI document", () => {
  it('describes routes the app has, and is served at /openapi.json', async () => {
    const deps: AppDeps = {
      config: loadConfig({}),
      pipeline: unused,
      linkClicks: unused,
      readiness: unused,
      lookupKey: unused,
      metrics: new IngestMetrics(),
      log: logger.child({}, { level: 'silent' }),
    };
    const app = buildApp(deps);
    await app.ready();
    const operations = Object.entries(ingestOpenApi.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), url: p === '/c/{token}' ? '/c/*' : p })),
    );
    expect(operations.length).toBe(6);
    for (const op of operations)
      expect(app.hasRoute(op as { method: 'GET' | 'POST'; url: string }), `${op.method} ${op.url}`).toBe(true);
    const served = await app.inject({ url: '/openapi.json' });
    expect(served.json()).toEqual(ingestOpenApi);
    await app.close();
  });
});
