/**
 * The live dashboard at `/`: a static page (public/) that calls the stats API from the browser
 * with the user's API key. uPlot's files are served from node_modules by the same plugin
 * (@fastify/static), so the page needs no CDN and works offline. The page itself holds no data
 * and needs no key; every number it shows comes from the authenticated /v1 routes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const uplotDist = path.dirname(createRequire(import.meta.url).resolve('uplot'));

// Our own files change with every release: browsers revalidate. uPlot's are pinned by
// package.json, so an hour of caching is safe and spares a reload on every visit.
const OURS = 'no-cache';
const VENDOR = 'public, max-age=3600';
/** The only files of the uPlot package the page loads. */
const VENDOR_FILES = new Set(['/uPlot.iife.min.js', '/uPlot.min.css']);

/** Adds GET / and the page's assets under /dashboard/ to the stats API. */
export function registerDashboard(app: FastifyInstance): void {
  // wildcard: false: a route per file found at start-up, so no URL path is looked up on disk.
  void app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/dashboard/',
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', OURS),
  });
  void app.register(fastifyStatic, {
    root: uplotDist,
    prefix: '/dashboard/vendor/',
    wildcard: false,
    index: false,
    decorateReply: false,
    allowedPath: (pathName) => VENDOR_FILES.has(pathName),
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', VENDOR),
  });
  app.get('/', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', OURS).sendFile('index.html', publicDir),
  );
}
