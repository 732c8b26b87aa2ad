/**
 * The ClickHouse client factory and the one escaping function that every literal in our SQL
 * goes through (ClickHouse 18.16 has no server-side query parameters).
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Config } from './config.ts';

export interface ClickHouseOptions {
  /** Connect as the read-only user (readonly profile enforced by the server). */
  readonly?: boolean;
  /** Queries slower than this are cut off by the client. */
  requestTimeoutMs?: number;
  /** The current database, for unqualified names (migrations run in the project's database). */
  database?: string;
}

export function createClickHouse(config: Config, opts: ClickHouseOptions = {}): ClickHouseClient {
  return createClient({
    url: `http://${config.host}:${config.clickhouse.httpPort}`,
    username: opts.readonly ? config.clickhouse.readerUser : 'default',
    password: opts.readonly ? config.clickhouse.readerPassword : '',
    // 30 s: migrations and replays insert large batches; API reads pass a tighter one.
    request_timeout: opts.requestTimeoutMs ?? 30_000,
    ...(opts.database === undefined ? {} : { database: opts.database }),
  });
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\r': '\\r',
  '\n': '\\n',
  '\t': '\\t',
};

/** A string literal, quoted and escaped for ClickHouse: the only way a value enters our SQL. */
export function sqlString(value: string): string {
  return `'${value.replace(/[\\'\0\b\f\r\n\t]/g, (c) => ESCAPES[c] ?? c)}'`;
}

/** An identifier we generate ourselves (database, table): checked, never escaped. */
export function sqlIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a safe identifier: ${JSON.stringify(name)}`);
  return name;
}

/** Epoch milliseconds as a ClickHouse DateTime text in UTC (the server runs in UTC). */
export function toDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
