/** The ingest's errors as status codes: a Redis or Kafka fault is a 503 that says "resend". */
import { ReplicaNotAcknowledged } from '../dedup/cluster-calls.ts';
import { UnavailableError } from '../shared/errors.ts';
import { errorHandler as httpErrorHandler } from '../shared/http-error-handler.ts';
import type { Logger } from '../shared/logger.ts';

// Redis and Kafka recover in seconds after a restart; a client resending sooner just gets 503 again.
const RETRY_AFTER_SECONDS = 1;

export function errorHandler(log: Logger) {
  return httpErrorHandler(log, (err) => {
    if (!(err instanceof UnavailableError)) return undefined;
    // On Redis Cluster: the verdicts' writes reached a master but no replica within the WAIT
    // timeout, so a failover could lose them; nothing was produced, and a resend gets the same verdicts.
    if (err.cause instanceof ReplicaNotAcknowledged)
      return {
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        what: 'redis replica did not acknowledge',
        error: `redis unavailable: no replica acknowledged the verdicts within ${err.cause.timeoutMs} ms; nothing was accepted; resend the same request`,
      };
    return {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      what: 'dependency unavailable',
      error: `${err.dependency} unavailable: nothing was accepted; resend the same request`,
    };
  });
}
