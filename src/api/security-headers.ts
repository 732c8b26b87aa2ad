/**
 * Security headers on every response of the stats API. The dashboard and /docs load only their
 * own files (no inline script, no CDN), so the policy can be strict: nothing from elsewhere, no
 * framing (clickjacking), no referrer (a URL never travels to another site), no MIME sniffing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * 'self' only. img-src allows data: for the icons inside Swagger UI's and uPlot's CSS;
 * styles set from JavaScript (uPlot's sizes, the legend swatches) go through the CSSOM, which
 * style-src does not govern, so no 'unsafe-inline' is needed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The onSend hook: the headers above, and no caching of anything a key unlocked. */
export async function securityHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  for (const [name, value] of Object.entries(HEADERS)) reply.header(name, value);
  if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
  return payload;
}
