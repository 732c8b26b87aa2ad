import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { renderJob } from '../flink/job-sql.ts';
import { sqlSections } from './migration-files.ts';
import { migrationTemplate } from './new-migration.ts';

describe('migrate new templates', () => {
  it('a new Flink job renders, and counts clicks only, never heartbeats', () => {
    const job = renderJob(loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_' }), 'my_job', migrationTemplate('my_job', true));
    expect(job.inserts).toHaveLength(1);
    expect(job.inserts[0]).toMatch(/FROM clicks_source WHERE kind = 'click'$/);
  });

  it('a new ClickHouse migration parses, with empty sections and the DROP VIEW caveat', () => {
    const text = migrationTemplate('my_table', false);
    expect(sqlSections(text, 'new.sql')).toEqual({ up: [], down: [] });
    expect(text).toContain('a view is dropped with DROP TABLE');
  });
});
