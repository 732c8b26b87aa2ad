import { describe, expect, it } from 'vitest';
import type { QueryOutcome, RunStatement } from './query.ts';
import { Session } from './session.ts';
import { SessionSettings } from './settings.ts';

const cstr = (s: string) => Buffer.concat([Buffer.from(s), Buffer.from([0])]);
const i16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

const parse = (name: string, sql: string) => Buffer.concat([cstr(name), cstr(sql), i16(0)]);
const bind = (portal: string, stmt: string, values: string[]) =>
  Buffer.concat([
    cstr(portal),
    cstr(stmt),
    i16(0),
    i16(values.length),
    ...values.flatMap((v) => [i32(Buffer.byteLength(v)), Buffer.from(v)]),
    i16(0),
  ]);
const execute = (portal: string, max: number) => Buffer.concat([cstr(portal), i32(max)]);
const describe_ = (kind: 'S' | 'P', name: string) => Buffer.concat([Buffer.from(kind), cstr(name)]);

/** An in-memory ClickHouse: three rows of one UInt64 column, and the SQL it was sent. */
function memoryRunner(): { run: RunStatement; seen: string[] } {
  const seen: string[] = [];
  const rows: QueryOutcome = { ok: true, columns: [{ name: 'n', type: 'UInt64' }], rows: [['1'], ['2'], ['3']] };
  return {
    seen,
    run: async (sql) => (
      seen.push(sql),
      sql.includes('boom') ? { ok: false, error: { severity: 'ERROR', code: '42703', message: 'boom' } } : rows
    ),
  };
}

function session() {
  const { run, seen } = memoryRunner();
  const out: string[] = [];
  const s = new Session({
    run,
    settings: new SessionSettings({}),
    loadColumns: async () => () => undefined,
    write: (msgs) => out.push(...msgs.filter((m) => m.length > 0).map((m) => String.fromCharCode(m[0] ?? 0))),
  });
  return { s, out, seen };
}

describe('extended query protocol', () => {
  it('parses, binds a text parameter as a literal, and executes with a row limit (PortalSuspended)', async () => {
    const { s, out, seen } = session();
    await s.handle('P', parse('st', 'SELECT n FROM t WHERE name = $1'));
    await s.handle('B', bind('', 'st', ["x' OR 1=1"]));
    await s.handle('E', execute('', 2));
    await s.handle('E', execute('', 2));
    await s.handle('S', Buffer.alloc(0));
    expect(out.join('')).toBe('12DDsDCZ');
    expect(seen).toEqual(["SELECT n FROM t WHERE name = 'x\\' OR 1=1'"]);
  });

  it('describes a statement: parameter types and columns from a LIMIT 0 probe', async () => {
    const { s, out, seen } = session();
    await s.handle('P', parse('', 'SELECT n FROM t LIMIT $1'));
    await s.handle('D', describe_('S', ''));
    await s.handle('S', Buffer.alloc(0));
    expect(out.join('')).toBe('1tTZ');
    expect(seen).toEqual(['SELECT * FROM (SELECT n FROM t LIMIT 0\n) LIMIT 0']);
  });

  it('skips messages after an error until Sync, and reports a failed transaction block', async () => {
    const { s, out } = session();
    await s.handle('Q', cstr('BEGIN'));
    await s.handle('P', parse('', 'SELECT boom'));
    await s.handle('B', bind('', '', []));
    await s.handle('E', execute('', 0));
    await s.handle('S', Buffer.alloc(0));
    expect(out.join('')).toBe('CZ12EZ');
    expect(s.status).toBe('E');
    await s.handle('Q', cstr('SELECT 1'));
    await s.handle('Q', cstr('ROLLBACK'));
    expect(s.status).toBe('I');
  });

  it('refuses a second statement in one Parse and an unknown statement in Bind', async () => {
    const { s, out } = session();
    await s.handle('P', parse('', 'SELECT 1; SELECT 2'));
    await s.handle('S', Buffer.alloc(0));
    await s.handle('B', bind('', 'nope', []));
    await s.handle('S', Buffer.alloc(0));
    expect(out.join('')).toBe('EZEZ');
  });
});
