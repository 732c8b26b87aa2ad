/** The migrations' newest job file, rendered: every placeholder filled, startup and replay options. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { renderJob } from '../flink/job-sql.ts';
import { latestJobMigration } from './flink-migration.ts';
import { listMigrations } from './migration-files.ts';

describe('renderJob', () => {
  const config = loadConfig({
    TOLLBOOTH_TOPIC_PREFIX: 'p_',
    TOLLBOOTH_GRACE_MS: '1500',
    TOLLBOOTH_WINDOW_SECONDS: '5',
  });
  const job = latestJobMigration(listMigrations(config.migrationsDir), 'clicks_pipeline');
  const template = job?.template ?? readFileSync('/dev/null', 'utf8');

  it('fills every placeholder and hashes the job independent of its startup mode', () => {
    const a = renderJob(config, 'clicks_pipeline', template);
    const b = renderJob(config, 'clicks_pipeline', template, { mode: 'timestamp', fromMs: 1000 });
    expect(a.hash).toBe(b.hash);
    const all = [...a.setup, ...a.inserts].join('\n');
    expect(all).not.toContain('${');
    expect(all).toContain("'topic' = 'p_clicks'");
    expect(all).toContain("INTERVAL '1.500' SECOND");
    expect(b.setup.join('\n')).toContain("'scan.startup.timestamp-millis' = '1000'");
    const other = renderJob(
      loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_', TOLLBOOTH_WINDOW_SECONDS: '60' }),
      'clicks_pipeline',
      template,
    );
    expect(other.hash).not.toBe(a.hash);
  });

  it('skips what the previous version read only in a rebuild, with the same hash', () => {
    const fresh = renderJob(config, 'clicks_pipeline', template);
    const firstNew = {
      clicks: new Map([
        [0, 120],
        [1, 0],
        [2, 7],
      ]),
      rejected: new Map<number, number>(),
    };
    const rebuilt = renderJob(config, 'clicks_pipeline', template, { mode: 'earliest-offset', firstNew });
    expect(rebuilt.hash).toBe(fresh.hash);
    const sql = rebuilt.setup.join('\n');
    expect(sql).toContain('kafka_offset >= CASE kafka_partition WHEN 0 THEN 120 WHEN 2 THEN 7 ELSE 0 END');
    expect(sql).toContain('kafka_offset >= 0');
    expect(fresh.setup.join('\n')).not.toContain('CASE kafka_partition');
  });

  it('restricts a replay to its range and runs bounded', () => {
    const r = renderJob(
      config,
      'clicks_pipeline',
      template,
      { mode: 'timestamp', fromMs: 0 },
      { fromMs: 1000, toMs: 2000, runId: 'r1' },
    );
    expect(r.inserts.join('\n')).toContain('replayable AND event_ms >= 1000 AND event_ms < 2000');
    expect(r.setup.join('\n')).toContain("'scan.bounded.mode' = 'latest-offset'");
    expect(r.setup.join('\n')).toContain("'properties.group.id' = 'p_clicks_pipeline-replay-r1'");
  });
});
