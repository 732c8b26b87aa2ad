/**
 * Faults, as opposed to bad input (which is a typed value, never an exception). The ingest's
 * error handler maps these to status codes.
 */

/** A dependency (Redis, Kafka) failed: the request had no effect worth keeping; resend later. */
export class UnavailableError extends Error {
  constructor(
    readonly dependency: 'redis' | 'kafka',
    cause: unknown,
  ) {
    super(`${dependency} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'UnavailableError';
  }
}

/** Runs a step that talks to a dependency and turns any fault into UnavailableError. */
export async function orUnavailable<T>(dependency: 'redis' | 'kafka', step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw err instanceof UnavailableError ? err : new UnavailableError(dependency, err);
  }
}
