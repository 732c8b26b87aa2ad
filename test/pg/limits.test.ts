/**
 * The bounds of the endpoint's forwarding, against the real ClickHouse: a statement timeout that
 * kills the query on the server, a row cap, a byte cap, and ClickHouse being unreachable, each a
 * Postgres error value (never a thrown fault).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clickhouseRunner } from '../../src/api/pg/query.ts';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { environmentWith, loadConfig } from '../../src/shared/config.ts';
import { closedPort } from '../ingest/harness.ts';
import { setTimeout as sleep } from 'node:timers/promises';

// The system database always exists, so these need no test pipeline.
const config = loadConfig(environmentWith({ TOLLBOOTH_CLICKHOUSE_DATABASE: 'system' }));
const tight = clickhouseRunner(config, { timeoutMs: 1000, maxRows: 10, maxBytes: 2000 });
const admin = createClickHouse(config);

async function running(marker: string): Promise<number> {
  const rs = await admin.query({
    query: `SELECT count() AS n FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ n: string }>();
  return Number(rows[0]?.n);
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

/**
 * A statement the analyst may run that takes about 12 s: eight 3-second sleeps as separate
 * streams (18.16 caps one sleep at 3 s and checks for a kill between blocks, so a kill lands
 * within 3 s), and no SETTINGS (the analyst's readonly=1 profile refuses them).
 */
function slowStatement(marker: string): string {
  return Array.from({ length: 8 }, (_, i) => `SELECT sleep(${(3 - i / 100).toFixed(2)}) AS ${marker}`).join(
    ' UNION ALL ',
  );
}

describe('forwarding limits', () => {
  it('answers within the limits with ClickHouse columns and rows', async () => {
    const outcome = await tight("SELECT toUInt64(number) AS n, toDate('2026-01-01') AS d FROM system.numbers LIMIT 3");
    expect(outcome).toEqual({
      ok: true,
      columns: [
        { name: 'n', type: 'UInt64' },
        { name: 'd', type: 'Date' },
      ],
      rows: [
        ['0', '2026-01-01'],
        ['1', '2026-01-01'],
        ['2', '2026-01-01'],
      ],
    });
  });

  it('cancels a statement past the timeout (57014) and kills it on the server', async () => {
    const marker = `tb_pg_timeout_${randomUUID().slice(0, 8)}`;
    const outcome = await tight(slowStatement(marker));
    expect(outcome).toMatchObject({ ok: false, error: { code: '57014' } });
    expect(await until(async () => (await running(marker)) === 0, 5000)).toBe(true);
  });

  it('kills the statement on the server when its client goes away (abort)', async () => {
    const marker = `tb_pg_abort_${randomUUID().slice(0, 8)}`;
    const runner = clickhouseRunner(config);
    const abort = new AbortController();
    const pending = runner(slowStatement(marker), abort.signal);
    expect(await until(async () => (await running(marker)) === 1, 5000)).toBe(true);
    abort.abort();
    expect(await pending).toMatchObject({
      ok: false,
      error: { code: '57014', message: 'canceling statement due to user request' },
    });
    expect(await until(async () => (await running(marker)) === 0, 5000)).toBe(true);
  });

  it('refuses more rows than the cap (54000)', async () => {
    expect(await tight('SELECT number FROM system.numbers LIMIT 100')).toMatchObject({
      ok: false,
      error: { code: '54000' },
    });
  });

  it('stops reading a response past the byte cap (54000)', async () => {
    expect(await tight("SELECT arrayStringConcat(arrayMap(x -> 'xxxxxxxxxx', range(500))) AS big")).toMatchObject({
      ok: false,
      error: { code: '54000', message: expect.stringContaining('bytes') },
    });
  });

  it('maps ClickHouse errors to SQLSTATEs', async () => {
    expect(await tight('SELECT no_such_column')).toMatchObject({ ok: false, error: { code: '42703' } });
  });

  it('reports an unreachable ClickHouse as 58000', async () => {
    const down = clickhouseRunner(
      loadConfig(environmentWith({ TOLLBOOTH_CLICKHOUSE_HTTP_PORT: String(await closedPort()) })),
    );
    expect(await down('SELECT 1')).toMatchObject({ ok: false, error: { code: '58000' } });
  });
});
