import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { renderJob } from '../flink/job-sql.ts';
import { migrationOfVersion } from './deployed-job.ts';
import { listMigrations } from './migration-files.ts';
import { migrationTemplate } from './new-migration.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tollbooth-deployed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migrationOfVersion', () => {
  const config = loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_' });
  const v1 = migrationTemplate('demo', true);
  const v2 = v1.replace("KEY 'my_table'", "KEY 'my_other_table'");
  writeFileSync(path.join(dir, '0001_demo.flink.sql'), v1);
  writeFileSync(path.join(dir, '0002_demo.flink.sql'), v2);
  const files = listMigrations(dir);

  it('finds the file of the deployed version, not the newest file of the job', () => {
    const deployedHash = renderJob(config, 'demo', v1).hash;
    expect(migrationOfVersion(config, files, 'demo', deployedHash)?.template).toBe(v1);
    expect(migrationOfVersion(config, files, 'demo', renderJob(config, 'demo', v2).hash)?.template).toBe(v2);
  });

  it('finds nothing for a version no file renders, or another job', () => {
    expect(migrationOfVersion(config, files, 'demo', '000000000000')).toBeUndefined();
    expect(migrationOfVersion(config, files, 'other', renderJob(config, 'demo', v1).hash)).toBeUndefined();
  });
});
