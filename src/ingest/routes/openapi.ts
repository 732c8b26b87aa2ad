/**
 * GET /openapi.json: the ingest's OpenAPI document, kept in the repo (src/ingest/openapi.json)
 * and checked against the registered routes by a unit test; the fuzzer (test/fuzz/) reads it.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

export const ingestOpenApi: { paths: Record<string, Record<string, unknown>> } = JSON.parse(
  readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'),
);

export function openApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', async () => ingestOpenApi);
}
