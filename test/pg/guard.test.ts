/**
 * What the endpoint refuses before ClickHouse sees it (the security issue's Postgres-wire items),
 * through real clients: the 1,000-level parenthesis query that segfaults ClickHouse 18.16 is an
 * error while ClickHouse stays up; statement kinds outside the allow-list; system tables outside
 * the curated list; oversized startup packets and messages; the login deadline; per-address limits.
 */
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { startPgFixture, type PgFixture } from './fixture.ts';
import { psql } from './psql.ts';

let fx: PgFixture;
beforeAll(async () => {
  // Small limits so the test reaches them: 2 sessions per address, half a second to log in.
  fx = await startPgFixture('guard', { limits: { maxSessionsPerAddress: 2, authDeadlineMs: 500 } });
});
afterAll(async () => {
  await fx?.close();
});

async function uptime(): Promise<number> {
  const admin = createClickHouse(fx.config);
  try {
    const rs = await admin.query({ query: 'SELECT uptime() AS s', format: 'JSONEachRow' });
    return Number((await rs.json<{ s: number }>())[0]?.s);
  } finally {
    await admin.close();
  }
}

/** Bytes the server sends until it closes the connection, after `send`. */
function rawExchange(send: Buffer): Promise<{ reply: string; closedAfterMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(fx.target.port, fx.target.host, () => socket.write(send));
    let reply = '';
    socket.on('data', (c: Buffer) => (reply += c.toString('latin1')));
    socket.on('error', () => undefined); // the server closing mid-write is the expected outcome
    socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - started }));
    setTimeout(() => reject(new Error('connection stayed open')), 10_000);
  });
}

const psqlTarget = () => ({
  host: fx.target.host,
  port: fx.target.port,
  database: fx.target.database,
  password: fx.target.password,
});

describe('the endpoint refuses before ClickHouse sees it', () => {
  it('answers 1,000 nested parentheses through psql with an error, and ClickHouse stays up', async () => {
    const before = await uptime();
    const deep = `SELECT ${'('.repeat(1000)}1${')'.repeat(1000)};`;
    const sum = `SELECT ${Array.from({ length: 50_000 }, () => '1').join('+')};`;
    const run = await psql(psqlTarget(), { script: `${deep}\n${sum}\nSELECT 'still here';\n` });
    expect(run.stderr.match(/ERROR: {2}54001: statement too complex/g)).toHaveLength(2);
    expect(run.stdout.trim()).toBe('still here');
    expect(await uptime()).toBeGreaterThanOrEqual(before);
  });

  it('runs only SELECT, WITH, SHOW, DESCRIBE, EXISTS and EXPLAIN', async () => {
    const refused = [
      'INSERT INTO ad_stats (ad_id) VALUES (1)',
      'KILL QUERY WHERE 1',
      'SYSTEM SHUTDOWN',
      'OPTIMIZE TABLE ad_stats',
      'DROP TABLE ad_stats',
      'USE system',
      '/* SELECT */ DROP TABLE ad_stats',
    ];
    const run = await psql(psqlTarget(), { script: refused.map((s) => `${s};`).join('\n') });
    expect(run.stderr.match(/ERROR: {2}25006: /g)).toHaveLength(refused.length);
    const allowed = await psql(psqlTarget(), {
      script: 'WITH 1 AS x SELECT x;\nSHOW TABLES;\nDESCRIBE TABLE ad_stats;\nEXISTS TABLE ad_stats;\n',
    });
    expect(allowed.stderr).toBe('');
    expect(allowed.stdout).toContain('ad_stats');
  });

  it('reads system.tables, columns, databases and functions only', async () => {
    const denied = [
      'SELECT query FROM system.processes',
      'SELECT * FROM "system"."query_log"',
      'SELECT * FROM `system` . `parts`',
      'SHOW PROCESSLIST',
    ];
    const run = await psql(psqlTarget(), { script: denied.map((s) => `${s};`).join('\n') });
    expect(run.stderr.match(/ERROR: {2}42501: /g)).toHaveLength(denied.length);
    const ok = await psql(psqlTarget(), { sql: "SELECT count() > 0 FROM system.tables WHERE name = 'ad_stats'" });
    expect(ok).toMatchObject({ stdout: '1\n', stderr: '' });
  });

  it('refuses escaped identifiers, which ClickHouse decodes and the system-table check would not', async () => {
    // psql -c sends the text as it is: typed at the prompt, psql would read `\x` as its own command.
    const escaped = [
      'SELECT user, query FROM `sys\\x74em`.processes',
      'SELECT name, value FROM `sys\\x74em`.settings',
      'SELECT name FROM "sys\\x74em".parts',
      'SELECT number FROM `\\x73ystem`.numbers LIMIT 1',
      'SELECT query FROM system.`proc\\x65sses`',
      'SELECT query FROM system."query\\x5flog"',
      'SELECT `ad\\x5fid` FROM ad_stats',
    ];
    for (const sql of escaped) {
      const run = await psql(psqlTarget(), { sql });
      expect({ sql, ...run }).toMatchObject({
        sql,
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/^ERROR: {2}42602: escaped identifiers are not allowed/),
      });
    }
  });

  it('refuses an oversized startup packet from its header, without buffering it', async () => {
    const header = Buffer.alloc(8);
    header.writeInt32BE(64 * 1024 * 1024);
    header.writeInt32BE(196608, 4);
    const { reply } = await rawExchange(Buffer.concat([header, Buffer.alloc(64 * 1024)]));
    expect(reply).toContain('message too large');
  });

  it('closes a connection that does not log in before the deadline', async () => {
    const { reply, closedAfterMs } = await rawExchange(Buffer.alloc(0));
    expect(reply).toContain('authentication timed out');
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('refuses a message over the size cap and a third session from one address', async () => {
    const a = new pg.Client(fx.target);
    const b = new pg.Client(fx.target);
    const c = new pg.Client(fx.target);
    await a.connect();
    await b.connect();
    await expect(c.connect()).rejects.toMatchObject({ code: '53300' });
    const closed = new Promise((resolve) => a.once('error', resolve));
    await expect(a.query(`SELECT '${'x'.repeat(2 * 1024 * 1024)}'`)).rejects.toThrow();
    await closed;
    expect((await b.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await b.end();
  });
});
