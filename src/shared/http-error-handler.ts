/**
 * The one place an HTTP app's errors become status codes (ingest and stats API alike). Bad
 * input never gets here: it is a typed 400. A dependency fault becomes 503 with Retry-After,
 * worded by the app; other 4xx keep their message; anything else is a logged 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from './logger.ts';

export interface Unavailable {
  retryAfterSeconds: number;
  /** Said to the client. */
  error: string;
  /** Said to the log. */
  what: string;
}

/** `unavailable` recognises the app's dependency faults; undefined for any other error. */
export function errorHandler(log: Logger, unavailable: (err: unknown) => Unavailable | undefined) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const fault = unavailable(err);
    if (fault !== undefined) {
      log.warn({ route: request.routeOptions.url, err: err.message }, fault.what);
      return reply.code(503).header('retry-after', String(fault.retryAfterSeconds)).send({ error: fault.error });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: err.message });
    log.error({ err, route: request.routeOptions.url }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  };
}
