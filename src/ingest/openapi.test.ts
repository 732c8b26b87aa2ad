import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { buildApp, type AppDeps } from './app.ts';
import { IngestMetrics } from './metrics.ts';

// Only route registration runs here: the dependencies are never called.
const unused = {} as never;

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
}

describe("the ingest's OpenAPI document, generated from the route schemas", () => {
  it('is served at /openapi.json and keeps the contract: paths, media types and status codes', async () => {
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
    const doc = (await app.inject({ url: '/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.sort()).toEqual(
      ['POST /v1/clicks', 'GET /c/{token}', 'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /openapi.json'].sort(),
    );
    for (const op of operations) {
      const [method, url] = op.split(' ') as ['GET' | 'POST', string];
      expect(app.hasRoute({ method, url: url === '/c/{token}' ? '/c/*' : url }), op).toBe(true);
    }
    const post = doc.paths['/v1/clicks']?.post;
    expect(Object.keys(post?.responses ?? {}).sort()).toEqual(['200', '400', '401', '408', '413', '415', '503']);
    expect(Object.keys(post?.requestBody?.content ?? {})).toEqual(['application/json', 'application/x-ndjson']);
    expect(post?.parameters).toContainEqual(expect.objectContaining({ name: 'X-Sent-At', in: 'header' }));
    const link = doc.paths['/c/{token}']?.get;
    expect(Object.keys(link?.responses ?? {}).sort()).toEqual(['302', '400']);
    expect(link?.parameters).toContainEqual(expect.objectContaining({ name: 'token', in: 'path' }));
    await app.close();
  });
});
