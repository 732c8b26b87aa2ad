/** The stats API's errors as status codes: a ClickHouse fault is a 503 that says "retry shortly". */
import { errorHandler as httpErrorHandler } from '../shared/http-error-handler.ts';
import type { Logger } from '../shared/logger.ts';
import { ClickHouseUnavailableError } from './errors.ts';

// ClickHouse restarts in seconds; a dashboard retrying sooner would only add load.
const RETRY_AFTER_SECONDS = 2;

export function errorHandler(log: Logger) {
  return httpErrorHandler(log, (err) =>
    err instanceof ClickHouseUnavailableError
      ? {
          retryAfterSeconds: RETRY_AFTER_SECONDS,
          what: 'clickhouse unavailable',
          error: 'the statistics store (ClickHouse) is unavailable or too slow; retry shortly',
        }
      : undefined,
  );
}
