/**
 * Every file the docs name exists: a page that cites a test, a module or a migration that is not
 * there misleads the reader who goes to look. Placeholders (`test/...`) and generated folders
 * (`bench/.work/`) are not references.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const root = loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_' }).repoRoot;
const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const REFERENCE = /`((?:src|test|bench|migrations|stack|docs|deploy)\/[A-Za-z0-9_./-]+)`/g;
const notAReference = (p: string) => p.includes('...') || p.startsWith('bench/.work/');

describe('docs name only files that exist', () => {
  it.each(pages)('%s', (page) => {
    const text = readFileSync(path.join(root, page), 'utf8');
    // A walk-through names the files it has the reader write (`<!-- file: NAME -->`, run by a test).
    const written = new Set([...text.matchAll(/<!-- file: (\S+) -->/g)].map((m) => `migrations/${m[1]}`));
    const missing = [...text.matchAll(REFERENCE)]
      .map((m) => m[1] ?? '')
      .filter((p) => !notAReference(p) && !written.has(p) && !existsSync(path.join(root, p)));
    expect(missing).toEqual([]);
  });
});
