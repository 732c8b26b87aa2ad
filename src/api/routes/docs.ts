/**
 * /docs: the OpenAPI document rendered by Swagger UI, whose files come from the swagger-ui-dist
 * package and are served from here (no CDN, so the page works offline and leaks nothing).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openApiSpec } from '../openapi.ts';

const uiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only files served from the package: a fixed list, so no path from the URL reaches the disk. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Tollbooth stats API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body>
<noscript><p>The API is described in <a href="/docs/openapi.json">/docs/openapi.json</a>.</p></noscript>
<div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-init.js"></script>
</body>
</html>
`;

// A file, not an inline script: the Content-Security-Policy allows scripts from this origin only.
const INIT = "window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#ui' });\n";

export function docsRoutes(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();

  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  app.get('/docs/openapi.json', async () => openApiSpec);
  app.get('/docs/:asset', async (request, reply) => {
    const { asset } = request.params as { asset: string };
    if (asset === 'swagger-init.js')
      return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(INIT);
    const type = Object.hasOwn(ASSETS, asset) ? ASSETS[asset] : undefined;
    if (type === undefined) return reply.code(404).send({ error: 'not found' });
    let body = cache.get(asset);
    if (body === undefined) {
      body = await readFile(path.join(uiDir, asset));
      cache.set(asset, body);
    }
    // An hour: the files change only with the package version.
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
  });
}
