/**
 * Every vitest project runs in `npm test`: its runs name projects one by one (package.json), so a
 * project added to vitest.config.ts and left out there would pass CI without ever running.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import vitestConfig from '../../vitest.config.ts';
import { loadConfig } from './config.ts';

const root = loadConfig({ TOLLBOOTH_TOPIC_PREFIX: 'p_' }).repoRoot;
const scripts = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** The projects each `vitest run` of a script names, in order. */
function vitestRuns(script: string): string[][] {
  return script
    .split('&&')
    .map((step) => step.trim())
    .filter((step) => /^(npx )?vitest run\b/.test(step))
    .map((step) => [...step.matchAll(/--project[ =](\S+)/g)].map((m) => m[1] ?? ''));
}

const projectNames = (vitestConfig.test?.projects ?? []).map((p) =>
  typeof p === 'object' && p !== null && 'test' in p ? (p.test?.name ?? '') : '',
);

describe('npm test', () => {
  it('reads its vitest runs from the script', () => {
    expect(vitestRuns('tsc && vitest run --project a --project b && npx vitest run --project=c')).toEqual([
      ['a', 'b'],
      ['c'],
    ]);
  });

  it('runs every vitest project exactly once', () => {
    const test = scripts.test ?? '';
    const named = vitestRuns(test).flat();
    expect(projectNames.length).toBeGreaterThan(0);
    expect(projectNames).not.toContain('');
    expect([...named].sort()).toEqual([...projectNames].sort());
  });
});
