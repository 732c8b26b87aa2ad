/** Faults of the stats API (bad input is a value, not one of these); error-handler.ts maps them to status codes. */

/** ClickHouse could not answer (down, too slow, refused the query): the client may retry. */
export class ClickHouseUnavailableError extends Error {
  constructor(
    readonly query: string,
    cause: unknown,
  ) {
    super(`clickhouse unavailable (${query}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ClickHouseUnavailableError';
  }
}
