/**
 * Reading one operation's result from the SQL Gateway (REST API v3, as served by Flink 2.2.1).
 * Results come in pages: `GET .../result/<token>?rowFormat=JSON` answers NOT_READY while the
 * operation runs, then PAYLOAD pages (possibly empty) each naming the next page, then EOS.
 * A failed operation answers the fetch with HTTP 500 and the exception.
 */
import { z } from 'zod';
import { requestJson } from './http.ts';
import { setTimeout as sleep } from 'node:timers/promises';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

const resultPage = z.object({
  resultType: z.enum(['NOT_READY', 'PAYLOAD', 'EOS']),
  isQueryResult: z.boolean().optional(),
  jobID: z.string().nullish(),
  resultKind: z.enum(['SUCCESS', 'SUCCESS_WITH_CONTENT']).optional(),
  results: z
    .object({
      columns: z.array(z.object({ name: z.string() })).default([]),
      data: z.array(z.object({ kind: z.string(), fields: z.array(json) })).default([]),
    })
    .optional(),
  nextResultUri: z.string().nullish(),
});

/** One row of a result: its change kind (INSERT, UPDATE_BEFORE, ...) and its fields in column order. */
export interface ResultRow {
  kind: string;
  fields: Json[];
}

/** What a statement answered once the gateway is done with it. */
export interface StatementResult {
  /** Set for statements that submitted a Flink job: INSERT, EXECUTE STATEMENT SET, SELECT. */
  jobId: string | undefined;
  resultKind: 'SUCCESS' | 'SUCCESS_WITH_CONTENT';
  columns: string[];
  rows: ResultRow[];
  /** True when `maxRows` stopped the reading before the end (a streaming query never ends). */
  truncated: boolean;
}

export interface FetchOptions {
  /** Stop after this many rows; needed for streaming SELECTs, which have no EOS. */
  maxRows?: number;
  /** Give up after this long. Job submission through the gateway takes 1-5 s on this machine. */
  timeoutMs?: number;
  /** Between NOT_READY or empty pages: 200 ms keeps a DDL round trip short without busy-polling. */
  pollIntervalMs?: number;
}

/**
 * Follows the result pages of an operation from `firstUri` (relative to `baseUrl`) until EOS
 * or `maxRows`, and returns everything it read.
 */
export async function fetchAllResults(
  baseUrl: string,
  firstUri: string,
  opts: FetchOptions = {},
): Promise<StatementResult> {
  const { maxRows = Number.POSITIVE_INFINITY, timeoutMs = 120_000, pollIntervalMs = 200 } = opts;
  const deadline = Date.now() + timeoutMs;
  const result: StatementResult = { jobId: undefined, resultKind: 'SUCCESS', columns: [], rows: [], truncated: false };
  let uri: string | null | undefined = firstUri;
  while (uri) {
    if (Date.now() > deadline) throw new Error(`statement still running after ${timeoutMs} ms (${baseUrl}${uri})`);
    const page: z.infer<typeof resultPage> = await requestJson(`${baseUrl}${uri}`, resultPage);
    if (page.resultType === 'NOT_READY') {
      await sleep(pollIntervalMs);
      continue;
    }
    result.jobId = page.jobID ?? result.jobId;
    result.resultKind = page.resultKind ?? result.resultKind;
    if (page.results) {
      if (result.columns.length === 0) result.columns = page.results.columns.map((c) => c.name);
      result.rows.push(...page.results.data);
    }
    if (page.resultType === 'EOS') return result;
    if (result.rows.length >= maxRows) {
      result.rows = result.rows.slice(0, maxRows);
      result.truncated = true;
      return result;
    }
    // An empty page means "nothing new yet" for a running query: wait before asking again.
    if (!page.results || page.results.data.length === 0) await sleep(pollIntervalMs);
    uri = page.nextResultUri;
  }
  return result;
}

/** The Flink job id an INSERT or statement set answered with (also given as a `job id` column). */
export function jobIdOf(result: StatementResult): string | undefined {
  if (result.jobId) return result.jobId;
  const column = result.columns.indexOf('job id');
  const value = column >= 0 ? result.rows[0]?.fields[column] : undefined;
  return typeof value === 'string' ? value : undefined;
}
