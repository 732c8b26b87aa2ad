/**
 * JSON over HTTP for the two Flink REST servers (JobManager and SQL Gateway). Both answer
 * errors as `{"errors": [...]}`, where the last entry is often a full Java stack trace; the
 * error thrown here carries only the root cause, so an operator sees why, not 60 frames.
 */
import type { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';

/** A Flink REST call failed: the HTTP status and the server's message, trimmed to its root cause. */
export class FlinkApiError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'FlinkApiError';
  }
}

/** Messages of exception wrappers: they say where it failed, never why. */
const WRAPPERS = [
  /^Failed to (?:fetchResults|execute the operation|execute statement)/,
  /^[\w.$]+(?:Exception|Error)(?::|$)/,
];

/**
 * The most useful line of a Java exception text: the deepest `Caused by:` (the root cause),
 * or the outermost non-wrapper cause that contains it, because it often adds the position
 * ("SQL validation failed. From line 1, column 15 ...: Object 'x' not found").
 */
export function rootCause(text: string): string {
  const causes = [
    ...text.matchAll(
      /(?:^|\n)(?:Caused by: |<Exception on server side:\n)?([\w.$]+(?:Exception|Error)): ([^\n]*(?:\n(?!\s+at |\s*\.\.\. \d+ more|Caused by: )[^\n]*)*)/g,
    ),
  ]
    .map((m) => ({ type: (m[1] ?? '').split('.').pop() ?? '', message: (m[2] ?? '').trim() }))
    .filter((c) => c.message !== '' && !WRAPPERS.some((w) => w.test(c.message)));
  const root = causes.at(-1);
  if (!root) return text.split('\n')[0]?.trim() ?? text;
  const richer = causes.find((c) => c.message !== root.message && c.message.includes(root.message));
  return richer ? richer.message : `${root.type}: ${root.message}`;
}

function errorMessage(status: number, body: unknown, raw: string): { message: string; details: string[] } {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors) && errors.every((e): e is string => typeof e === 'string') && errors.length > 0) {
    const withTrace = errors.find((e) => e.includes('Exception')) ?? errors.join('\n');
    return { message: rootCause(withTrace), details: errors };
  }
  return { message: `HTTP ${status}: ${raw.slice(0, 500)}`, details: [] };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Loopback servers answer in milliseconds; 30 s only bounds a stuck JobManager or gateway. */
  timeoutMs?: number;
}

/** Sends one request and parses the JSON answer with `schema`; throws FlinkApiError on a non-2xx. */
export async function requestJson<S extends z.ZodTypeAny>(
  url: string,
  schema: S,
  opts: RequestOptions = {},
): Promise<z.output<S>> {
  const res = await fetch(url, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: opts.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const raw = await res.text();
  let body: unknown;
  try {
    body = raw === '' ? {} : JSON.parse(raw);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const { message, details } = errorMessage(res.status, body, raw);
    throw new FlinkApiError(res.status, url, message, details);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new FlinkApiError(res.status, url, `unexpected answer from ${url}: ${parsed.error.message}`, [
      raw.slice(0, 2000),
    ]);
  }
  return parsed.data;
}

/** Calls `probe` until it returns a value (not undefined), or throws after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  opts: { timeoutMs: number; intervalMs: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}`);
    await sleep(opts.intervalMs);
  }
}
