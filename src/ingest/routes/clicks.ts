/** POST /v1/clicks: a batch in, per-item verdicts out (see pipeline.ts for the flow). */
import type { FastifyInstance } from 'fastify';
import { callerOf, type KeyLookup } from '../caller.ts';
import { ingestBatch, type PipelineDeps } from '../pipeline.ts';

// The contract caps user_agent at 1024; a longer request header is cut, not trusted as is.
const MAX_USER_AGENT = 1024;

export function clicksRoute(app: FastifyInstance, deps: PipelineDeps, lookupKey: KeyLookup): void {
  app.post('/v1/clicks', async (request, reply) => {
    const caller = await callerOf(request.headers, lookupKey);
    if (!caller.ok) return reply.code(caller.status).header('www-authenticate', 'Bearer').send({ error: caller.error });
    // The body parsers (app.ts) hand over text for the two accepted media types only.
    if (typeof request.body !== 'string') {
      return reply.code(415).send({ error: 'Content-Type must be application/json or application/x-ndjson' });
    }
    const media = request.headers['content-type']?.startsWith('application/x-ndjson') ? 'ndjson' : 'json';
    const sentAt = request.headers['x-sent-at'];
    const outcome = await ingestBatch(deps, request.body, media, {
      // request.ip is the peer address, or X-Forwarded-For from a configured trusted proxy (app.ts).
      ip: request.ip,
      userAgent: (request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
      trusted: caller.trusted,
      sender: caller.sender,
      sentAt: typeof sentAt === 'string' ? sentAt : undefined,
    });
    if (!outcome.ok) return reply.code(outcome.status).send({ error: outcome.error });
    return outcome.reply;
  });
}
