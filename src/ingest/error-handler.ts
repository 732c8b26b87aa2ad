/** The ingest's errors as status codes: a Redis or Kafka fault is a 503 that says "resend". */
import { UnavailableError } from '../shared/errors.ts';
import { errorHandler as httpErrorHandler } from '../shared/http-error-handler.ts';
import type { Logger } from '../shared/logger.ts';

// Redis and Kafka recover in seconds after a restart; a client resending sooner just gets 503 again.
const RETRY_AFTER_SECONDS = 1;

export function errorHandler(log: Logger) {
  return httpErrorHandler(log, (err) =>
    err instanceof UnavailableError
      ? {
          retryAfterSeconds: RETRY_AFTER_SECONDS,
          what: 'dependency unavailable',
          error: `${err.dependency} unavailable: nothing was accepted; resend the same request`,
        }
      : undefined,
  );
}
