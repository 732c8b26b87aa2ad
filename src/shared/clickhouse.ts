/**
 * The ClickHouse client factory and the one escaping function that every literal in our SQL
 * goes through (ClickHouse 18.16 has no server-side query parameters).
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { failoverClient } from './clickhouse-failover.ts';
import type { Config } from './config.ts';

/**
 * One ClickHouse user per role (stack/clickhouse/users.xml): `writer` (sink, migrations, replay),
 * `api` (the stats API) and `analyst` (the Postgres-wire endpoint), the last two readonly=1 with
 * their limits in their profiles. `default` is ClickHouse's own user; only an operator uses it.
 */
export type ClickHouseRole = 'writer' | 'api' | 'analyst' | 'default';

export interface ClickHouseCredentials {
  username: string;
  password: string;
}

export function clickhouseCredentials(config: Config, role: ClickHouseRole): ClickHouseCredentials {
  const ch = config.clickhouse;
  switch (role) {
    case 'writer':
      return { username: ch.writerUser, password: ch.writerPassword };
    case 'api':
      return { username: ch.apiUser, password: ch.apiPassword };
    case 'analyst':
      return { username: ch.readerUser, password: ch.readerPassword };
    case 'default':
      return { username: 'default', password: ch.defaultPassword };
  }
}

export interface ClickHouseOptions {
  /** Whom to connect as; the writer unless said otherwise. */
  role?: ClickHouseRole;
  /** Queries slower than this are cut off by the client. */
  requestTimeoutMs?: number;
  /** The current database, for unqualified names (migrations run in the project's database). */
  database?: string;
  /**
   * One replica's `host:port`, and no other: for what must run on each replica in turn
   * (migrations). Without it a cluster's client fails over between TOLLBOOTH_CLICKHOUSE_REPLICAS.
   */
  address?: string;
  /** Settings sent with every query of this client (the sink's insert quorum). */
  settings?: ClickHouseSettings;
}

/** A client of the one node, of the replica `opts.address`, or of every replica with failover. */
export function createClickHouse(config: Config, opts: ClickHouseOptions = {}): ClickHouseClient {
  const { replicas } = config.clickhouse;
  if (opts.address !== undefined) return createOne(config, opts.address, opts);
  if (replicas.length === 0) return createOne(config, `${config.clickhouse.host}:${config.clickhouse.httpPort}`, opts);
  return failoverClient(replicas.map((address) => createOne(config, address, opts)));
}

function createOne(config: Config, address: string, opts: ClickHouseOptions): ClickHouseClient {
  return createClient({
    url: `http://${address}`,
    ...clickhouseCredentials(config, opts.role ?? 'writer'),
    // 30 s: migrations and replays insert large batches; API reads pass a tighter one.
    request_timeout: opts.requestTimeoutMs ?? 30_000,
    // Every failure reaches the caller as a rejection, which reports it; the client's own
    // console log would print each one again with its stack (a CLI line became 18).
    log: { level: ClickHouseLogLevel.OFF },
    ...(opts.database === undefined ? {} : { database: opts.database }),
    ...(opts.settings === undefined ? {} : { clickhouse_settings: opts.settings }),
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
