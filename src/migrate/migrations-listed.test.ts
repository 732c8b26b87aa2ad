import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { MIGRATIONS } from '../../migrations/index.ts';

describe('migrations/index.ts', () => {
  it('lists every migration file, in file-name order', () => {
    const files = readdirSync(`${loadConfig({}).repoRoot}/migrations`)
      .filter((f) => /^\d{4}_.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(MIGRATIONS.map((m) => m.name)).toEqual(files);
  });
});
