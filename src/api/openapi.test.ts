import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  clicksQuerySchema,
  lateQuerySchema,
  overviewQuerySchema,
  rejectedQuerySchema,
  topQuerySchema,
} from './params.ts';
import { registeredRoutes } from './route-list.ts';
import { recordingStore, testApp } from './testing.ts';

interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/** Routes outside the document on purpose: Swagger UI's own files and the dashboard page. */
const UNDOCUMENTED = (url: string): boolean =>
  url === '/' || url.startsWith('/dashboard/') || (url.startsWith('/docs/') && url !== '/docs/openapi.json');

let app: FastifyInstance;
let doc: Document;
beforeAll(async () => {
  app = testApp(recordingStore(), {});
  doc = (await app.inject({ url: '/docs/openapi.json' })).json<Document>();
});
afterAll(() => app.close());

const op = (path: string): Operation => {
  const found = doc.paths[path]?.get;
  if (found === undefined) throw new Error(`no GET ${path} in the document`);
  return found;
};
const ok = (path: string): Schema => op(path).responses['200']?.content?.['application/json']?.schema ?? {};
const fields = (s: Schema | undefined): string[] => Object.keys(s?.properties ?? {});
const statuses = (path: string): string[] => Object.keys(op(path).responses).sort();
const query = (path: string): string[] =>
  (op(path).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);

describe('the OpenAPI document generated from the route schemas', () => {
  it('documents exactly the routes the app registers', () => {
    const routes = registeredRoutes(app)
      .filter((r) => !UNDOCUMENTED(r.url))
      .map((r) => `${r.method} ${r.url.replace(/:([a-z_]+)/g, '{$1}')}`);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(doc.openapi).toMatch(/^3\./);
    expect([...new Set(routes)].sort()).toEqual(documented.sort());
  });

  it('keeps the paths, fields and status codes of the architecture contract', () => {
    expect(Object.keys(doc.paths)).toEqual(
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
    const clicks = ok('/v1/ads/{ad_id}/clicks');
    expect(fields(clicks)).toEqual(['ad_id', 'granularity', 'buckets', 'total', 'late_total']);
    expect(fields(clicks.properties?.buckets?.items)).toEqual(['start', 'clicks', 'final', 'late']);
    expect(query('/v1/ads/{ad_id}/clicks')).toEqual(['from', 'to', 'granularity']);
    expect(fields(ok('/v1/ads/top').properties?.ads?.items)).toEqual(['ad_id', 'clicks']);
    expect(query('/v1/ads/top')).toEqual(['from', 'to', 'limit']);
    const rejected = ok('/v1/ads/{ad_id}/rejected');
    expect(fields(rejected)).toEqual(['ad_id', 'counts']);
    expect(fields(rejected.properties?.counts)).toEqual(['duplicate', 'rate_limited', 'bot', 'blocked']);
    expect(fields(ok('/v1/late').properties?.ads?.items)).toEqual(['ad_id', 'late']);
    for (const path of ['/v1/ads/{ad_id}/clicks', '/v1/ads/{ad_id}/rejected'])
      expect(statuses(path), path).toEqual(['200', '400', '401', '403', '429', '503']);
    for (const path of ['/v1/ads/top', '/v1/late', '/v1/overview'])
      expect(statuses(path), path).toEqual(['200', '400', '401', '429', '503']);
    expect(statuses('/readyz')).toEqual(['200', '429', '503']);
    for (const path of ['/healthz', '/metrics', '/docs']) expect(statuses(path), path).toEqual(['200', '429']);
    expect(op('/v1/ads/{ad_id}/clicks').parameters).toContainEqual(
      expect.objectContaining({ name: 'ad_id', in: 'path', required: true }),
    );
  });

  it('names the query parameters that the zod schemas validate, so the two cannot drift', () => {
    const names = (schema: z.ZodEffects<z.AnyZodObject>) => Object.keys(schema.innerType().shape);
    expect(query('/v1/ads/{ad_id}/clicks')).toEqual(names(clicksQuerySchema));
    expect(query('/v1/ads/top')).toEqual(names(topQuerySchema));
    expect(query('/v1/ads/{ad_id}/rejected')).toEqual(names(rejectedQuerySchema));
    expect(query('/v1/late')).toEqual(names(lateQuerySchema));
    expect(query('/v1/overview')).toEqual(names(overviewQuerySchema));
  });
});
