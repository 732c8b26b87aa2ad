/** The one place errors become status codes. Bad input never gets here: it is a typed value. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { UnavailableError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

// Redis and Kafka recover in seconds after a restart; a client resending sooner just gets 503 again.
const RETRY_AFTER_SECONDS = 1;

export function errorHandler(log: Logger) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof UnavailableError) {
      log.warn({ route: request.routeOptions.url, err: err.message }, 'dependency unavailable');
      return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: `${err.dependency} unavailable: nothing was accepted; resend the same request` });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: err.message });
    log.error({ err, route: request.routeOptions.url }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  };
}
