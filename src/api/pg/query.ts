/**
 * Forwards one statement to ClickHouse over HTTP as the read-only `reader` user and turns the
 * JSONCompact answer into Postgres fields and text rows. What may run is ClickHouse's decision
 * (the reader's readonly profile refuses writes and DDL); this module only bounds time and size.
 */
import { z } from 'zod';
import type { Config } from '../../shared/config.ts';
import type { PgField, PgNotice } from './messages.ts';
import { clickhouseError, resultTooLargeError, timeoutError, unavailableError, unsupportedError } from './sqlstate.ts';
import { pgField, pgText } from './types.ts';

export interface QueryLimits {
  /** ClickHouse stops the query after this (max_execution_time); we stop waiting a little later. */
  timeoutMs: number;
  /** More rows than this is an error, not a silent truncation. */
  maxRows: number;
  /** The response body we are willing to hold in memory for one statement. */
  maxBytes: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  // 30 s: the reader profile's own max_execution_time; interactive aggregates take milliseconds.
  timeoutMs: 30_000,
  // 10,000 rows: an hour of minute buckets for 150 ads; bigger extracts belong in clickhouse-client.
  maxRows: 10_000,
  // 16 MiB: 10,000 wide rows fit; a SETTINGS clause that lifts the row cap still cannot exhaust memory.
  maxBytes: 16 * 1024 * 1024,
};

// Time for ClickHouse's own timeout error to reach us before we abort the request ourselves.
const CLIENT_TIMEOUT_MARGIN_MS = 2_000;

export type QueryOutcome = { ok: true; fields: PgField[]; rows: (string | null)[][]; tag: string } | { ok: false; error: PgNotice };

/** Runs one statement; every failure, including ClickHouse being down, comes back as a Postgres error. */
export type RunStatement = (sql: string) => Promise<QueryOutcome>;

const compactResult = z.object({
  meta: z.array(z.object({ name: z.string(), type: z.string() })),
  data: z.array(z.array(z.unknown())),
});

export function clickhouseRunner(config: Config, limits: QueryLimits = DEFAULT_LIMITS): RunStatement {
  const url = new URL(`http://${config.host}:${config.clickhouse.httpPort}/`);
  const settings = {
    database: config.clickhouse.database,
    default_format: 'JSONCompact', // meta gives column names and types; a FORMAT clause in the SQL overrides it
    wait_end_of_query: '1', // an error mid-result becomes an HTTP error, not a truncated 200 body
    max_execution_time: String(Math.ceil(limits.timeoutMs / 1000)),
    max_result_rows: String(limits.maxRows),
    result_overflow_mode: 'throw',
  };
  for (const [k, v] of Object.entries(settings)) url.searchParams.set(k, v);
  const auth = `Basic ${Buffer.from(`${config.clickhouse.readerUser}:${config.clickhouse.readerPassword}`).toString('base64')}`;

  return async (sql) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), limits.timeoutMs + CLIENT_TIMEOUT_MARGIN_MS);
    try {
      const res = await fetch(url, { method: 'POST', body: sql, headers: { authorization: auth }, signal: abort.signal });
      const body = await readCapped(res, limits.maxBytes);
      if (body === null) {
        abort.abort(); // ClickHouse need not finish sending what we will not read
        return { ok: false, error: resultTooLargeError(`more than ${limits.maxBytes} bytes`) };
      }
      if (!res.ok) return { ok: false, error: clickhouseError(body) };
      return toRows(sql, body, limits);
    } catch (err) {
      if (abort.signal.aborted) return { ok: false, error: timeoutError(limits.timeoutMs) };
      return { ok: false, error: unavailableError(err) };
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The body as text, or null once it passes maxBytes (leaving the loop cancels the stream). */
async function readCapped(res: Response, maxBytes: number): Promise<string | null> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.byteLength;
    if (total > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toRows(sql: string, body: string, limits: QueryLimits): QueryOutcome {
  // Statements without output (ClickHouse's KILL QUERY, for one) answer with an empty body.
  if (body.trim() === '') return { ok: true, fields: [], rows: [], tag: commandTag(sql) };
  let parsed: z.infer<typeof compactResult>;
  try {
    parsed = compactResult.parse(JSON.parse(body));
  } catch {
    return { ok: false, error: unsupportedError('a FORMAT clause', 'leave FORMAT out: rows come back as Postgres rows') };
  }
  if (parsed.data.length > limits.maxRows) return { ok: false, error: resultTooLargeError(`more than ${limits.maxRows} rows`) };
  const { meta } = parsed;
  const fields = meta.map((m) => pgField(m.name, m.type));
  const rows = parsed.data.map((row) => meta.map((m, i) => pgText(row[i], m.type)));
  return { ok: true, fields, rows, tag: `SELECT ${rows.length}` };
}

/** The statement's verb as a Postgres command tag ("SELECT", "SET", ...). */
export function commandTag(sql: string): string {
  return (/^\s*([A-Za-z]+)/.exec(sql)?.[1] ?? 'OK').toUpperCase();
}
