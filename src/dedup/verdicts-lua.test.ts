/** The Redis script spells verdicts as Lua literals: they must be the contract's (src/shared/verdict.ts). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERDICTS, type DecidedVerdict } from '../shared/verdict.ts';

const lua = readFileSync(new URL('./verdicts.lua', import.meta.url), 'utf8');

describe('verdicts.lua', () => {
  it('returns only declared verdicts, and every decided one but bot (which it is given as pre)', () => {
    const returned = new Set([...lua.matchAll(/\breturn '([a-z_]+)'/g)].map((m) => m[1]));
    const decidedByScript: DecidedVerdict[] = ['blocked', 'duplicate', 'rate_limited', 'accepted'];
    expect([...returned].sort()).toEqual([...decidedByScript].sort());
    expect(decidedByScript.every((v) => (VERDICTS as readonly string[]).includes(v))).toBe(true);
    expect(VERDICTS.filter((v) => v !== 'invalid' && !returned.has(v))).toEqual(['bot']);
  });
});
