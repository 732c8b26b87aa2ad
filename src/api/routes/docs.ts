/**
 * /docs: the OpenAPI document that @fastify/swagger writes from the route schemas, served at
 * /docs/openapi.json and rendered by @fastify/swagger-ui, whose files are served from here (no
 * CDN, so the page works offline and leaks nothing; no inline script, so the strict
 * Content-Security-Policy holds).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { OPENAPI } from '../openapi.ts';
import { docsJsonSchema, docsPageSchema } from '../route-schemas.ts';

/** Call before any route is added: the document lists the routes registered after it. */
export function registerOpenApi(app: FastifyInstance): void {
  void app.register(swagger, {
    ...OPENAPI,
    // Swagger UI hides its own page (registered as /docs/, answering /docs too); the contract
    // lists /docs, so it is described here.
    transform: ({ schema, url }) => (url === '/docs/' ? { schema: docsPageSchema, url: '/docs' } : { schema, url }),
  });
}

export function docsRoutes(app: FastifyInstance): void {
  // Its default validatorUrl is null: no badge that would send the document to an outside
  // service. The base layout, not the standalone one, whose top bar applies an inline style
  // that the Content-Security-Policy blocks.
  void app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { layout: 'BaseLayout' } });
  app.get('/docs/openapi.json', { schema: docsJsonSchema }, async () => app.swagger());
}
