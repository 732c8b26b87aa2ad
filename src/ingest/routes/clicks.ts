/** POST /v1/clicks: a batch in, per-item verdicts out (see pipeline.ts for the flow). */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { MAX_USER_AGENT } from '../../shared/click.ts';
import { callerOf, type KeyLookup } from '../caller.ts';
import type { BodyBudget } from '../body/budget.ts';
import type { CallerLimits } from '../body/limits.ts';
import { readBody, type BodyRefusal } from '../body/read-body.ts';
import { ingestBatch, type PipelineDeps } from '../pipeline.ts';
import { clicksSchema } from '../route-schemas.ts';

// Held bodies are parsed in well under a second each, so the budget has room again by then.
const RETRY_AFTER_SECONDS = 1;

export interface BodyReading {
  limits: CallerLimits;
  budget: BodyBudget;
  timeoutMs: number;
}

export function clicksRoute(app: FastifyInstance, deps: PipelineDeps, lookupKey: KeyLookup, bodies: BodyReading): void {
  app.post('/v1/clicks', { schema: clicksSchema }, async (request, reply) => {
    // The Authorization header arrives before the body: the caller's limits apply to every byte.
    const caller = await callerOf(request.headers, lookupKey);
    if (!caller.ok) return reply.code(caller.status).header('www-authenticate', 'Bearer').send({ error: caller.error });
    // The body parsers (app.ts) hand over the unread stream for the two accepted media types only.
    if (!(request.body instanceof Readable)) {
      return reply.code(415).send({ error: 'Content-Type must be application/json or application/x-ndjson' });
    }
    const limits = caller.trusted ? bodies.limits.keyed : bodies.limits.anonymous;
    const declared = Number(request.headers['content-length']);
    const body = await readBody(request.body, Number.isSafeInteger(declared) ? declared : undefined, {
      maxBytes: limits.maxBytes,
      tooLarge: limits.tooLarge,
      budget: bodies.budget,
      timeoutMs: bodies.timeoutMs,
    });
    if (!body.ok) return refuse(reply, body);
    try {
      const media = request.headers['content-type']?.startsWith('application/x-ndjson') ? 'ndjson' : 'json';
      const sentAt = request.headers['x-sent-at'];
      const sender = {
        // request.ip is the peer address, or X-Forwarded-For from a configured trusted proxy (app.ts).
        ip: request.ip,
        userAgent: (request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
        trusted: caller.trusted,
        campaigns: caller.campaigns,
        sender: caller.sender,
        sentAt: typeof sentAt === 'string' ? sentAt : undefined,
      };
      const outcome = await ingestBatch(deps, body.text, media, sender, limits);
      if (!outcome.ok) return reply.code(outcome.status).send({ error: outcome.error });
      return outcome.reply;
    } finally {
      body.release();
    }
  });
}

function refuse(reply: FastifyReply, refusal: BodyRefusal): FastifyReply {
  if (refusal.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  // A stalled sender's socket is closed, not kept for the rest of a body nobody will read.
  if (refusal.status === 408) reply.header('connection', 'close');
  return reply.code(refusal.status).send({ error: refusal.error });
}
