import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { listMigrations } from './migration-files.ts';
import { TABLES } from '../shared/names.ts';

describe('names', () => {
  it('names only tables and views that a migration creates', () => {
    const sql = listMigrations(loadConfig({}).migrationsDir)
      .filter((m) => m.kind === 'clickhouse')
      .map((m) => readFileSync(m.file, 'utf8'))
      .join('\n');
    for (const name of Object.values(TABLES)) {
      expect(sql, name).toMatch(new RegExp(`CREATE (TABLE|VIEW)( IF NOT EXISTS)? (\\$\\{DB\\}\\.)?${name}\\b`));
    }
  });
});
