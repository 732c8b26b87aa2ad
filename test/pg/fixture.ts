/**
 * One small table in a test database, with a column of every type the endpoint maps, served by a
 * Postgres-wire endpoint on a free port. The driver tests (psql, node-postgres, psycopg,
 * psycopg2, asyncpg, pgjdbc, pgx) all read this table, so each asserts the same native types.
 */
import { randomBytes } from 'node:crypto';
import { startPgServer, type PgServer, type PgServerDeps } from '../../src/api/pg/server.ts';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { environmentWith, loadConfig, type Config } from '../../src/shared/config.ts';
import { logger } from '../../src/shared/logger.ts';
import { assertTestResource, testPrefix } from '../helpers/prefix.ts';

export const FIXTURE_TABLE = 'ad_stats';

// Three ads; ad-beta's zero DateTime and ad-gamma's zero Date must arrive as NULL, and
// ad-beta's `huge` (2^64 - 1) does not fit int8, so reading it is an error naming the column.
const CREATE = `CREATE TABLE ${FIXTURE_TABLE} (
  ad_id String, clicks UInt64, small UInt8, delta Int32, ratio Float64, price Decimal(9, 2),
  day Date, window_start DateTime, first_seen DateTime, note Nullable(String),
  tags Array(String), counts Array(UInt32), huge UInt64
) ENGINE = MergeTree ORDER BY ad_id`;

const ROWS = `INSERT INTO ${FIXTURE_TABLE} VALUES
  ('ad-alpha', 14, 1, -3, 0.5, 12.34, '2026-01-01', '2026-01-01 00:01:00', '2026-01-01 00:00:30', 'first', ['a', 'b'], [1, 2], 1),
  ('ad-beta', 9, 2, 7, 1.25, 0.50, '2026-01-02', '2026-01-01 00:02:00', '0000-00-00 00:00:00', NULL, [], [3], 18446744073709551615),
  ('ad-gamma', 2, 3, 0, -2, 100.00, '0000-00-00', '2026-01-01 00:03:00', '2026-01-01 00:02:59', 'x,y "q"', ['c'], [], 2)`;

export interface PgFixture {
  config: Config;
  pg: PgServer;
  /** What a client needs: host, port, database name (ignored by the endpoint), user and password. */
  target: { host: string; port: number; database: string; user: string; password: string };
  /** PG* variables for a child process (libpq, psycopg, asyncpg, pgx read them). */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

export async function startPgFixture(area: string, deps: Partial<PgServerDeps> = {}): Promise<PgFixture> {
  const database = testPrefix(`pg_${area}`).replace(/_$/, '');
  const config = loadConfig(environmentWith({ TOLLBOOTH_CLICKHOUSE_DATABASE: database }));
  const admin = createClickHouse(config);
  await admin.command({ query: `CREATE DATABASE ${database}` });
  await admin.command({ query: CREATE, clickhouse_settings: { database } as Record<string, string> });
  await admin.command({ query: ROWS, clickhouse_settings: { database } as Record<string, string> });
  const password = `tb_test_${randomBytes(12).toString('hex')}`;
  const log = logger.child({ component: 'pg-test' }, { level: 'warn' });
  const pg = await startPgServer({ config, verifyPassword: async (p) => p === password, log, port: 0, ...deps });
  const target = { host: config.host, port: pg.port, database: 'tollbooth', user: 'analyst', password };
  const env = environmentWith({
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGDATABASE: target.database,
    PGUSER: target.user,
    PGPASSWORD: password,
    PGCONNECT_TIMEOUT: '10',
  });
  return {
    config,
    pg,
    target,
    env,
    close: async () => {
      await pg.close();
      assertTestResource(database);
      await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
      await admin.close();
    },
  };
}
