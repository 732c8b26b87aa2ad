/** The dashboard (a served file, not a module) lists the rejected verdicts itself: they must be the contract's. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REJECTED_VERDICTS } from '../../shared/verdict.ts';

describe("the dashboard's verdicts", () => {
  it('are exactly the rejected verdicts of src/shared/verdict.ts', () => {
    const js = readFileSync(new URL('./public/dashboard.js', import.meta.url), 'utf8');
    const literal = /^const VERDICTS = \[([^\]]*)\];$/m.exec(js)?.[1];
    expect(literal).toBeDefined();
    const listed = [...(literal ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...REJECTED_VERDICTS].sort());
  });
});
