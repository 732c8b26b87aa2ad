/**
 * Runs one checked statement in ClickHouse as the read-only reader user (through the shared client
 * factory) and reads its JSONCompact answer under a byte cap. Each statement has its own query_id,
 * so when the client goes away, cancels or times out, the statement is killed on the server too
 * (KILL QUERY as the admin user: the reader cannot see other sessions' queries).
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Config } from '../../shared/config.ts';
import { createClickHouse, sqlString } from '../../shared/clickhouse.ts';
import type { PgNotice } from './messages.ts';
import { cancelledError, clickhouseError, resultTooLargeError, timeoutError, unavailableError } from './sqlstate.ts';

interface QueryLimits {
  /** The reader profile stops a statement after its max_execution_time; we stop waiting a little later. */
  timeoutMs: number;
  /** More rows than this is an error, not a silent truncation. */
  maxRows: number;
  /** The response body we are willing to hold in memory for one statement. */
  maxBytes: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  // 32 s: the reader profile's max_execution_time (30 s) plus time for its error to reach us.
  timeoutMs: 32_000,
  // 10,000 rows: an hour of minute buckets for 150 ads; bigger extracts belong in clickhouse-client.
  maxRows: 10_000,
  // 16 MiB: 10,000 wide rows fit; a bigger answer is refused, not buffered.
  maxBytes: 16 * 1024 * 1024,
};

/** A result column as ClickHouse names and types it. */
interface ChColumn {
  name: string;
  type: string;
}

export type QueryOutcome = { ok: true; columns: ChColumn[]; rows: unknown[][] } | { ok: false; error: PgNotice };

/** Runs one statement; `signal` aborts it (client gone, CancelRequest), killing it on the server. */
export type RunStatement = (sql: string, signal?: AbortSignal) => Promise<QueryOutcome>;

const compactResult = z.object({
  meta: z.array(z.object({ name: z.string(), type: z.string() })),
  data: z.array(z.array(z.unknown())),
});

export function clickhouseRunner(config: Config, limits: QueryLimits = DEFAULT_LIMITS): RunStatement {
  const reader = createClickHouse(config, { role: 'analyst', requestTimeoutMs: limits.timeoutMs });
  // KILL QUERY of another user's query needs the server's own administrator.
  const admin = createClickHouse(config, { role: 'default' });
  const database = config.clickhouse.database;

  return async (sql, signal) => {
    const queryId = `pg-${randomUUID()}`;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort('timeout'), limits.timeoutMs);
    const onCancel = () => abort.abort('cancel');
    signal?.addEventListener('abort', onCancel);
    try {
      const result = await reader.exec({
        query: `${sql}\nFORMAT JSONCompact`,
        query_id: queryId,
        abort_signal: abort.signal,
        clickhouse_settings: { database } as Record<string, string>,
      });
      const body = await readCapped(result.stream, limits.maxBytes);
      if (body === null) {
        abort.abort('too large');
        void killQuery(admin, queryId);
        return { ok: false, error: resultTooLargeError(`more than ${limits.maxBytes} bytes`) };
      }
      return toRows(body, limits);
    } catch (err) {
      if (abort.signal.aborted) {
        void killQuery(admin, queryId);
        return {
          ok: false,
          error: abort.signal.reason === 'cancel' ? cancelledError() : timeoutError(limits.timeoutMs),
        };
      }
      const message = err instanceof Error ? err.message : String(err);
      // 18.16's error text ("Code: 62, e.displayText() = ...") is not one the client parses: it arrives as the message.
      if (/Code: \d+/.test(message)) return { ok: false, error: clickhouseError(message) };
      if (err instanceof Error && 'code' in err && typeof err.code === 'string' && /^\d+$/.test(err.code)) {
        return { ok: false, error: clickhouseError(`Code: ${err.code}, e.displayText() = DB::Exception: ${message}`) };
      }
      return { ok: false, error: unavailableError(err) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCancel);
    }
  };
}

/** Best effort: a query that already ended is simply not found. */
async function killQuery(admin: ClickHouseClient, queryId: string): Promise<void> {
  try {
    await admin.command({ query: `KILL QUERY WHERE query_id = ${sqlString(queryId)} ASYNC` });
  } catch {
    // ClickHouse's max_execution_time still bounds the query.
  }
}

/** The body as text, or null once it passes maxBytes (leaving the loop cancels the stream). */
async function readCapped(stream: AsyncIterable<Buffer | Uint8Array>, maxBytes: number): Promise<string | null> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toRows(body: string, limits: QueryLimits): QueryOutcome {
  // Statements without output answer with an empty body.
  if (body.trim() === '') return { ok: true, columns: [], rows: [] };
  let parsed: z.infer<typeof compactResult>;
  try {
    parsed = compactResult.parse(JSON.parse(body));
  } catch {
    // An error after the first rows were sent is appended to a 200 body by ClickHouse.
    return { ok: false, error: clickhouseError(body.slice(body.lastIndexOf('Code: '))) };
  }
  if (parsed.data.length > limits.maxRows)
    return { ok: false, error: resultTooLargeError(`more than ${limits.maxRows} rows`) };
  return { ok: true, columns: parsed.meta, rows: parsed.data };
}
