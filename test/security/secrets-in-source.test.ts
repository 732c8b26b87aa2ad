/**
 * No secret has a value in the source: neither the values generated into this state folder
 * (ClickHouse and Redis passwords, the link key) nor a development default appear in any
 * tracked file. The deny-list itself and the tests that prove it is refused are the exception.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { KNOWN_DEV_VALUES, secretsDir } from '../../src/shared/secrets.ts';

const config = loadConfig(); // generates any secret that is still missing
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: config.repoRoot, encoding: 'utf8' })
  .split('\0')
  .filter(Boolean);
const texts = tracked.flatMap((file) => {
  try {
    const text = readFileSync(path.join(config.repoRoot, file), 'utf8');
    return text.includes('\0') ? [] : [{ file, text }];
  } catch {
    return []; // deleted in the work tree, not yet committed
  }
});

/** Where a known development value may be written: the list that refuses it, and its tests. */
const mayNameDevValues = (file: string) => file === 'src/shared/secrets.ts' || file.endsWith('.test.ts');

describe('secrets in the source', () => {
  it('contains none of the generated secrets', () => {
    const values = readdirSync(secretsDir(config.stackDir)).map((name) =>
      readFileSync(path.join(secretsDir(config.stackDir), name), 'utf8').trim(),
    );
    expect(values.length).toBeGreaterThanOrEqual(6);
    expect(texts.length).toBeGreaterThan(100);
    const leaks = texts.filter(({ text }) => values.some((v) => text.includes(v))).map(({ file }) => file);
    expect(leaks).toEqual([]);
  });

  it('contains no known development value outside the deny-list', () => {
    const devValues = [...KNOWN_DEV_VALUES].filter((v) => v.length >= 12); // short ones ("admin") are ordinary words
    expect(devValues.length).toBeGreaterThan(0);
    const leaks = texts
      .filter(({ file, text }) => !mayNameDevValues(file) && devValues.some((v) => text.includes(v)))
      .map(({ file }) => file);
    expect(leaks).toEqual([]);
  });
});
