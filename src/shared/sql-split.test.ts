import { describe, expect, it } from 'vitest';
import { splitStatements, statementSetBody } from './sql-split.ts';

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

describe('statement sets', () => {
  it('keeps EXECUTE STATEMENT SET BEGIN ... END whole and yields its inserts', () => {
    const sql = `-- a comment; with a semicolon\nCREATE TABLE a (x INT);\nEXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT ';';\nINSERT INTO a SELECT 2;\nEND;\n`;
    const parts = splitStatements(sql);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe('-- a comment; with a semicolon\nCREATE TABLE a (x INT)');
    expect(statementSetBody(parts[1] ?? '')).toEqual(["INSERT INTO a SELECT ';'", 'INSERT INTO a SELECT 2']);
    expect(statementSetBody('SELECT 1')).toBeUndefined();
  });
});
