import { describe, expect, it } from 'vitest';
import { guardStatement } from './guard.ts';

const code = (sql: string) => {
  const out = guardStatement(sql);
  return out.ok ? 'ok' : out.error.code;
};

describe('guardStatement', () => {
  it('bounds depth, operators and length before ClickHouse parses anything', () => {
    expect(code(`SELECT ${'('.repeat(64)}1${')'.repeat(64)}`)).toBe('ok');
    expect(code(`SELECT ${'('.repeat(65)}1${')'.repeat(65)}`)).toBe('54001');
    expect(code(`SELECT ${Array(1001).fill('1').join('+')}`)).toBe('ok'); // 1,000 operators
    expect(code(`SELECT ${Array(1002).fill('1').join('+')}`)).toBe('54001'); // 4 KB, under the length bound
    expect(code(`SELECT '${'x'.repeat(70_000)}'`)).toBe('54001');
  });

  it('decides the kind on tokens: comments, strings and parentheses do not hide a statement', () => {
    expect(code('(SELECT 1)')).toBe('ok');
    expect(code('/* SELECT */ DROP TABLE t')).toBe('25006');
    expect(code("-- SELECT\nINSERT INTO t VALUES ('SELECT')")).toBe('25006');
    expect(code('KILL QUERY WHERE 1')).toBe('25006');
    expect(code("SELECT 'DROP TABLE t'")).toBe('ok');
  });

  it('allows only the curated system tables, however they are quoted', () => {
    expect(code('SELECT name FROM system.columns')).toBe('ok');
    for (const sql of [
      'SELECT * FROM system.processes',
      'SELECT * FROM `system`.`query_log`',
      'SELECT * FROM "SYSTEM" . parts',
      'SHOW PROCESSLIST',
    ])
      expect(code(sql)).toBe('42501');
    expect(code("SELECT 'system.processes'")).toBe('ok');
  });

  it('refuses any backslash escape in a quoted identifier, before the system-table check', () => {
    for (const sql of [
      'SELECT query FROM `sys\\x74em`.processes',
      'SELECT * FROM "sys\\x74em".settings',
      'SELECT * FROM system.`p\\arts`',
      'SELECT `ad\\x5fid` FROM ad_stats',
      'SELECT 1 AS `a\\`b`',
    ])
      expect(code(sql)).toBe('42602');
    expect(code('SELECT \'sys\\x74em\' AS `ad id`, "x""y" FROM t')).toBe('ok'); // escapes in strings, doubled quotes
  });
});
