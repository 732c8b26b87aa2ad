import { describe, expect, it } from 'vitest';
import { splitStatements } from './sql-split.ts';

describe('splitStatements', () => {
  it('splits at top-level semicolons and drops empty statements', () => {
    expect(splitStatements('SELECT 1; SELECT 2;;  ')).toEqual(['SELECT 1', 'SELECT 2']);
    expect(splitStatements('  ; -- nothing\n /* at all */ ;')).toEqual([]);
  });

  it('keeps semicolons inside literals, identifiers and comments', () => {
    const sql = "SELECT 'a;b', \"c;d\", `e;f` -- g;h\n, 'it\\'s;', 'x'';y' /* ; */";
    expect(splitStatements(`${sql}; SELECT 2`)).toEqual([sql, 'SELECT 2']);
  });

  it('treats an unterminated literal as one statement (ClickHouse reports the syntax error)', () => {
    expect(splitStatements("SELECT 'oops; DROP TABLE x")).toEqual(["SELECT 'oops; DROP TABLE x"]);
  });
});
