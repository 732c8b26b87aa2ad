/**
 * Security headers on every response of the stats API, set by @fastify/helmet. The dashboard
 * and /docs load only their own files (no inline script, no CDN), so the policy can be strict:
 * nothing from elsewhere, no framing (clickjacking), no referrer (a URL never travels to another
 * site), no MIME sniffing.
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * 'self' only. img-src allows data: for the icons inside Swagger UI's and uPlot's CSS;
 * styles set from JavaScript (uPlot's sizes, the legend swatches) go through the CSSOM, which
 * style-src does not govern, so no 'unsafe-inline' is needed.
 */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const OPTIONS: FastifyHelmetOptions = {
  global: true,
  // Our directives only: helmet's defaults would add upgrade-insecure-requests, which breaks
  // the page on a plain-HTTP loopback port.
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  // For browsers that predate frame-ancestors.
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  // Served over plain HTTP (TLS, if any, ends at a proxy that owns this header).
  strictTransportSecurity: false,
};

/** Registers the headers above on every route, and no caching of anything a key unlocked. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  void app.register(helmet, OPTIONS);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
  });
}
