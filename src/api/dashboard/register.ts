/**
 * The live dashboard at `/`: a static page (public/) that calls the stats API from the browser
 * with the user's API key. uPlot's files are served from node_modules by our own routes, so the
 * page needs no CDN and works offline. The page itself holds no data and needs no key; every
 * number it shows comes from the authenticated /v1 routes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

interface Asset {
  body: Buffer;
  type: string;
  cacheControl: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const uplotDist = path.dirname(createRequire(import.meta.url).resolve('uplot'));

// Our own files change with every release: browsers revalidate. uPlot's are pinned by
// package.json, so an hour of caching is safe and spares a reload on every visit.
const OURS = 'no-cache';
const VENDOR = 'public, max-age=3600';

/** URL path to file, fixed at start-up: no request ever names a path on disk. */
function loadAssets(): Map<string, Asset> {
  const file = (p: string, type: string, cacheControl: string): Asset => ({
    body: readFileSync(p),
    type,
    cacheControl,
  });
  return new Map([
    ['/', file(path.join(here, 'public/index.html'), 'text/html; charset=utf-8', OURS)],
    ['/dashboard/dashboard.js', file(path.join(here, 'public/dashboard.js'), 'text/javascript; charset=utf-8', OURS)],
    ['/dashboard/chart.js', file(path.join(here, 'public/chart.js'), 'text/javascript; charset=utf-8', OURS)],
    ['/dashboard/dashboard.css', file(path.join(here, 'public/dashboard.css'), 'text/css; charset=utf-8', OURS)],
    [
      '/dashboard/vendor/uPlot.iife.min.js',
      file(path.join(uplotDist, 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8', VENDOR),
    ],
    ['/dashboard/vendor/uPlot.min.css', file(path.join(uplotDist, 'uPlot.min.css'), 'text/css; charset=utf-8', VENDOR)],
  ]);
}

/** Adds GET / and the page's assets under /dashboard/ to the stats API. */
export function registerDashboard(app: FastifyInstance): void {
  for (const [url, asset] of loadAssets()) {
    app.get(url, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', asset.cacheControl).send(asset.body),
    );
  }
}
