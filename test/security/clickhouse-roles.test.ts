/**
 * ClickHouse roles: the API's and the analysts' users
 * are readonly=1, so no table function reaches another service and no query lifts its limits;
 * every user, `default` included, needs its password; an analyst cannot kill the API's queries.
 */
import { describe, expect, it } from 'vitest';
import { clickhouseCredentials, type ClickHouseRole } from '../../src/shared/clickhouse.ts';
import { loadConfig } from '../../src/shared/config.ts';

const config = loadConfig();
const base = `http://${config.host}:${config.clickhouse.httpPort}/`;

interface Answer {
  status: number;
  body: string;
}

async function ask(
  sql: string,
  who: { username: string; password?: string },
  params: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const headers: Record<string, string> = { 'x-clickhouse-user': who.username };
  if (who.password !== undefined) headers['x-clickhouse-key'] = who.password;
  const res = await fetch(url, { method: 'POST', body: sql, headers, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text() };
}

const as = (role: ClickHouseRole, sql: string, params?: Record<string, string>) =>
  ask(sql, clickhouseCredentials(config, role), params);
const READERS: ClickHouseRole[] = ['api', 'analyst'];
// A loopback URL that answers: ClickHouse itself, as the writer. If url() ran, it would read it.
const loopback = `${base}?user=${config.clickhouse.writerUser}&password=${config.clickhouse.writerPassword}&query=SELECT+1`;

describe('ClickHouse users per role', () => {
  it.each(READERS)('refuses url() and remote() to %s', async (role) => {
    for (const sql of [
      `SELECT * FROM url('${loopback}', TSV, 'x String')`,
      `SELECT * FROM remote('${config.host}:${config.clickhouse.nativePort}', system.one)`,
      `SELECT * FROM numbers(10)`,
    ]) {
      const answer = await as(role, sql);
      expect(answer.status, sql).not.toBe(200);
      expect(answer.body, sql).toMatch(/Table functions are forbidden in readonly mode/);
    }
  });

  it.each(READERS)('refuses to let %s lift a limit, in SQL or as a URL parameter', async (role) => {
    for (const [sql, params] of [
      ['SELECT 1 SETTINGS max_execution_time = 0', {}],
      ['SELECT 1 SETTINGS max_memory_usage = 0', {}],
      ['SELECT 1 SETTINGS max_threads = 64', {}],
      ['SET readonly = 0', {}],
      ['SELECT 1', { max_execution_time: '0' }],
      ['SELECT 1', { max_result_rows: '0' }],
      ['SELECT 1', { readonly: '0' }],
    ] as const) {
      const answer = await as(role, sql, params);
      expect(answer.status, `${sql} ${JSON.stringify(params)}`).not.toBe(200);
      expect(answer.body).toMatch(/readonly mode/);
    }
  });

  it.each(READERS)('refuses writes and DDL to %s', async (role) => {
    const answer = await as(role, 'CREATE TABLE test_security_never (x UInt8) ENGINE = Memory');
    expect(answer.status).not.toBe(200);
    expect(answer.body).toMatch(/readonly/i);
  });

  it('accepts the settings the Postgres-wire endpoint sends, since they equal the profile', async () => {
    const answer = await as('analyst', 'SELECT 1', {
      max_execution_time: '30',
      max_result_rows: '10000',
      result_overflow_mode: 'throw',
      default_format: 'TSV',
      wait_end_of_query: '1',
    });
    expect(answer).toEqual({ status: 200, body: '1\n' });
  });

  it('refuses every user without its password, default included', async () => {
    for (const username of [
      'default',
      config.clickhouse.writerUser,
      config.clickhouse.apiUser,
      config.clickhouse.readerUser,
    ]) {
      for (const password of [undefined, '', 'not-the-password-at-all']) {
        const answer = await ask('SELECT 1', { username, password });
        expect(answer.status, `${username} with ${String(password)}`).not.toBe(200);
        expect(answer.body).toMatch(/Password required|Wrong password/);
      }
    }
    expect((await as('default', 'SELECT 1')).body).toBe('1\n');
  });

  it("does not let an analyst kill the API's queries", async () => {
    // sleep(2): long enough for the kill to arrive while it runs, below 18.16's 3 s cap on sleep().
    const apiQuery = as('api', "SELECT sleep(2) AS slept, 'api-query-marker'");
    let kill: Answer | undefined;
    for (let i = 0; i < 50 && kill === undefined; i++) {
      const running = await as(
        'api',
        "SELECT count() FROM system.processes WHERE query LIKE '%api-query-marker%' AND query NOT LIKE '%system.processes%'",
      );
      if (running.body.trim() === '1')
        kill = await as('analyst', `KILL QUERY WHERE user = '${config.clickhouse.apiUser}' SYNC`);
    }
    expect(kill?.body).toMatch(/Readonly user .* attempts to kill query created by/);
    expect((await apiQuery).body).toBe('0\tapi-query-marker\n');
  });
});
