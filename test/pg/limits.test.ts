/**
 * The bounds of the psql endpoint's forwarding, against the real ClickHouse: a statement timeout,
 * a row cap that a SETTINGS clause cannot lift, a byte cap, and ClickHouse being unreachable,
 * each a Postgres error value (never a thrown fault).
 */
import { describe, expect, it } from 'vitest';
import { clickhouseRunner } from '../../src/api/pg/query.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { closedPort } from '../ingest/harness.ts';

// The system database always exists, so these need no test pipeline.
const config = loadConfig({ TOLLBOOTH_CLICKHOUSE_DATABASE: 'system' });
const tight = clickhouseRunner(config, { timeoutMs: 1000, maxRows: 10, maxBytes: 2000 });

describe('forwarding limits', () => {
  it('answers within the limits with typed rows', async () => {
    const outcome = await tight("SELECT toUInt64(number) AS n, toDate('2026-01-01') AS d FROM numbers(3)");
    expect(outcome).toEqual({
      ok: true,
      fields: [{ name: 'n', typeOid: 20, typeSize: 8 }, { name: 'd', typeOid: 1082, typeSize: 4 }],
      rows: [['0', '2026-01-01'], ['1', '2026-01-01'], ['2', '2026-01-01']],
      tag: 'SELECT 3',
    });
  });

  it('cancels a statement that runs past the timeout (57014)', async () => {
    expect(await tight('SELECT sleep(2)')).toMatchObject({ ok: false, error: { code: '57014' } });
  });

  it('refuses more rows than the cap, even when the query lifts ClickHouse\'s own (54000)', async () => {
    expect(await tight('SELECT number FROM numbers(100)')).toMatchObject({ ok: false, error: { code: '54000' } });
    expect(await tight('SELECT number FROM numbers(100) SETTINGS max_result_rows = 0')).toMatchObject({ ok: false, error: { code: '54000' } });
  });

  it('stops reading a response past the byte cap (54000)', async () => {
    expect(await tight("SELECT arrayStringConcat(arrayMap(x -> 'xxxxxxxxxx', range(500))) AS big")).toMatchObject({ ok: false, error: { code: '54000', message: expect.stringContaining('bytes') } });
  });

  it('reports an unreachable ClickHouse as 58000', async () => {
    const down = clickhouseRunner(loadConfig({ TOLLBOOTH_CLICKHOUSE_HTTP_PORT: String(await closedPort()) }));
    expect(await down('SELECT 1')).toMatchObject({ ok: false, error: { code: '58000' } });
  });
});
