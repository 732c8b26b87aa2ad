/** The one place the stats API's errors become status codes. Bad input never gets here: it is a typed 400. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../shared/logger.ts';
import { ClickHouseUnavailableError } from './errors.ts';

// ClickHouse restarts in seconds; a dashboard retrying sooner would only add load.
const RETRY_AFTER_SECONDS = 2;

export function errorHandler(log: Logger) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ClickHouseUnavailableError) {
      log.warn({ route: request.routeOptions.url, err: err.message }, 'clickhouse unavailable');
      return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'the statistics store (ClickHouse) is unavailable or too slow; retry shortly' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: err.message });
    log.error({ err, route: request.routeOptions.url }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  };
}
