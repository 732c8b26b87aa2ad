import { describe, expect, it } from 'vitest';
import { jobStatements } from './job-sql.ts';

describe('jobStatements', () => {
  it('separates declarations from the statement set body', () => {
    const sql = `-- a comment; with a semicolon\nCREATE TABLE a (x INT);\nCREATE VIEW v AS SELECT 1;\nEXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO a SELECT 2;\nEND;\n`;
    expect(jobStatements(sql)).toEqual({
      setup: ['CREATE TABLE a (x INT)', 'CREATE VIEW v AS SELECT 1'],
      inserts: ['INSERT INTO a SELECT 1', 'INSERT INTO a SELECT 2'],
    });
  });

  it('refuses a job without a statement set', () => {
    expect(() => jobStatements('CREATE TABLE a (x INT);')).toThrow(/EXECUTE STATEMENT SET/);
  });
});
