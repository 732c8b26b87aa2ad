import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { renderJob, splitStatements } from './job-sql.ts';

describe('splitStatements', () => {
  it('separates declarations from the statement set body', () => {
    const sql = `-- a comment; with a semicolon\nCREATE TABLE a (x INT);\nCREATE VIEW v AS SELECT 1;\nEXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO a SELECT 2;\nEND;\n`;
    expect(splitStatements(sql)).toEqual({
      setup: ['CREATE TABLE a (x INT)', 'CREATE VIEW v AS SELECT 1'],
      inserts: ['INSERT INTO a SELECT 1', 'INSERT INTO a SELECT 2'],
    });
  });

  it('refuses a file without a statement set', () => {
    expect(() => splitStatements('CREATE TABLE a (x INT);')).toThrow(/EXECUTE STATEMENT SET/);
  });
});

describe('renderJob', () => {
  it('fills every placeholder and hashes the job independent of its startup mode', () => {
    const config = loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_', TOLLBOOTH_GRACE_MS: '1500', TOLLBOOTH_WINDOW_SECONDS: '5' });
    const a = renderJob(config, 'clicks_pipeline');
    const b = renderJob(config, 'clicks_pipeline', { mode: 'timestamp', fromMs: 1000 });
    expect(a.hash).toBe(b.hash);
    const all = [...a.setup, ...a.inserts].join('\n');
    expect(all).not.toContain('${');
    expect(all).toContain("'topic' = 'p_clicks'");
    expect(all).toContain("INTERVAL '1.500' SECOND");
    expect(b.setup.join('\n')).toContain("'scan.startup.timestamp-millis' = '1000'");
    const other = renderJob(loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_', TOLLBOOTH_WINDOW_SECONDS: '60' }), 'clicks_pipeline');
    expect(other.hash).not.toBe(a.hash);
  });
});
