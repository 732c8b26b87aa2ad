import { describe, expect, it } from 'vitest';
import { sqlIdentifier, sqlString, toDateTime } from './clickhouse.ts';

describe('sqlString', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ["a\\' OR 1=1 --", "'a\\\\\\' OR 1=1 --'"],
    ['line\nbreak\r\t', "'line\\nbreak\\r\\t'"],
    ['nul\0byte', "'nul\\0byte'"],
    ["'); DROP TABLE x; --", "'\\'); DROP TABLE x; --'"],
  ])('escapes %j', (input, expected) => {
    expect(sqlString(input)).toBe(expected);
  });

  it('never leaves an unescaped quote inside the literal', () => {
    const hostile = "\\\\'\\'''\\\n\u0000x";
    const inner = sqlString(hostile).slice(1, -1);
    // Every quote inside must be preceded by an odd number of backslashes.
    for (const m of inner.matchAll(/(\\*)'/g)) expect((m[1] ?? '').length % 2).toBe(1);
  });
});

describe('sqlIdentifier', () => {
  it('accepts generated names and refuses anything else', () => {
    expect(sqlIdentifier('test_abc_db')).toBe('test_abc_db');
    expect(() => sqlIdentifier('x; DROP')).toThrow();
    expect(() => sqlIdentifier('`x`')).toThrow();
  });
});

describe('toDateTime', () => {
  it('formats UTC seconds', () => {
    expect(toDateTime(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe('2026-01-02 03:04:05');
  });
});
