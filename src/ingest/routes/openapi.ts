/**
 * GET /openapi.json: the ingest's OpenAPI document, written by @fastify/swagger from the route
 * schemas (route-schemas.ts); the fuzzer (test/fuzz/) reads it.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { INGEST_OPENAPI, openApiSchema } from '../route-schemas.ts';

/** Call before any route is added: the document lists the routes registered after it. */
export function registerOpenApi(app: FastifyInstance): void {
  void app.register(swagger, INGEST_OPENAPI);
}

export function openApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: openApiSchema }, async () => app.swagger());
}
