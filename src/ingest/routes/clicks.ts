/** POST /v1/clicks: a batch in, per-item verdicts out (see pipeline.ts for the flow). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClickDefaults } from '../../shared/click.ts';
import { ingestBatch, type PipelineDeps } from '../pipeline.ts';

// The contract caps user_agent at 1024; a longer request header is cut, not trusted as is.
const MAX_USER_AGENT = 1024;

function defaultsOf(request: FastifyRequest): ClickDefaults {
  return { ip: request.ip, userAgent: (request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT) };
}

export function clicksRoute(app: FastifyInstance, deps: PipelineDeps): void {
  app.post('/v1/clicks', async (request, reply) => {
    // The body parsers (app.ts) hand over text for the two accepted media types only.
    if (typeof request.body !== 'string') {
      return reply.code(415).send({ error: 'Content-Type must be application/json or application/x-ndjson' });
    }
    const media = request.headers['content-type']?.startsWith('application/x-ndjson') ? 'ndjson' : 'json';
    const outcome = await ingestBatch(deps, request.body, media, defaultsOf(request));
    if (!outcome.ok) return reply.code(outcome.status).send({ error: outcome.error });
    return outcome.reply;
  });
}
