/**
 * node-postgres (`pg` from npm, the card's driver) against the endpoint: a Pool, parameters
 * (extended protocol), named statements, transactions, native types, and the errors it must see.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgFixture, type PgFixture } from './fixture.ts';

let fx: PgFixture;
let pool: pg.Pool;

beforeAll(async () => {
  fx = await startPgFixture('nodepg');
  pool = new pg.Pool({ ...fx.target, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await fx?.close();
});

const COLUMNS = 'ad_id, clicks, small, delta, ratio, price, day, window_start, first_seen, note, tags, counts';

describe('node-postgres', () => {
  it('runs a parameterized query from a Pool and gets native types', async () => {
    const res = await pool.query(`SELECT ${COLUMNS} FROM ad_stats WHERE clicks >= $1 ORDER BY ad_id`, [2]);
    expect(res.fields.map((f) => f.dataTypeID)).toEqual([25, 20, 21, 23, 701, 1700, 1082, 1184, 1184, 25, 1009, 1016]);
    const [alpha, beta, gamma] = res.rows;
    expect(alpha).toMatchObject({
      ad_id: 'ad-alpha',
      clicks: '14',
      small: 1,
      delta: -3,
      ratio: 0.5,
      price: '12.34',
      note: 'first',
      tags: ['a', 'b'],
      counts: ['1', '2'],
    });
    expect((alpha.window_start as Date).toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(alpha.day).toBeInstanceOf(Date);
    expect(beta).toMatchObject({ first_seen: null, note: null, tags: [] });
    expect(gamma).toMatchObject({ day: null, note: 'x,y "q"' });
  });

  it('reads int8 as BigInt with the documented type parser', async () => {
    const types = {
      getTypeParser: (oid: number, format?: string) =>
        oid === 20 ? (v: string) => BigInt(v) : pg.types.getTypeParser(oid, format as 'text'),
    };
    const res = await pool.query({ text: 'SELECT clicks FROM ad_stats WHERE ad_id = $1', values: ['ad-alpha'], types });
    expect(res.rows[0]?.clicks).toBe(14n);
  });

  it('reuses a named statement with new values, and a Date parameter compared with a DateTime column', async () => {
    const client = await pool.connect();
    try {
      const byAd = (ad: string) =>
        client.query({ name: 'by_ad', text: 'SELECT clicks AS c FROM ad_stats WHERE ad_id = $1', values: [ad] });
      expect((await byAd('ad-beta')).rows).toEqual([{ c: '9' }]);
      expect((await byAd('ad-gamma')).rows).toEqual([{ c: '2' }]);
      const since = await client.query('SELECT count() AS n FROM ad_stats WHERE window_start > $1', [
        new Date('2026-01-01T00:01:30Z'),
      ]);
      expect(since.rows).toEqual([{ n: '2' }]);
    } finally {
      client.release();
    }
  });

  it('keeps transaction state: BEGIN, a failed statement, then only ROLLBACK', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await expect(client.query('SELECT no_such_column FROM ad_stats')).rejects.toMatchObject({ code: '42703' });
      await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      client.release();
    }
  });

  it('treats a hostile parameter as a value, and refuses a value of the wrong type', async () => {
    expect((await pool.query('SELECT ad_id FROM ad_stats WHERE ad_id = $1', ["x' OR 1 = 1 --"])).rows).toEqual([]);
    expect((await pool.query('SELECT ad_id FROM ad_stats WHERE ad_id = $1', ["ad-alpha\\' OR 1 = 1 --"])).rows).toEqual(
      [],
    );
    await expect(pool.query('SELECT ad_id FROM ad_stats WHERE clicks > $1', ['1 OR 1 = 1'])).rejects.toMatchObject({
      code: '22P02',
    });
  });

  it('errors on a UInt64 past int8, naming the column, instead of a wrong number', async () => {
    await expect(pool.query('SELECT huge FROM ad_stats WHERE ad_id = $1', ['ad-beta'])).rejects.toMatchObject({
      code: '22003',
      message: expect.stringContaining('"huge"'),
    });
  });

  it('answers SHOW and current_setting() from the session', async () => {
    expect((await pool.query('SHOW server_version')).rows[0]?.server_version).toMatch(/^15\./);
    expect((await pool.query("SELECT current_setting('server_version_num') AS v")).rows).toEqual([{ v: '150000' }]);
  });
});
