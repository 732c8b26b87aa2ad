import { describe, expect, it } from 'vitest';
import { nestingDepth, parseBody } from './parse-body.ts';

describe('parseBody', () => {
  it('takes one object, an array, or NDJSON', () => {
    expect(parseBody('{"a":1}', 'json', 10)).toEqual({ ok: true, items: [{ a: 1 }] });
    expect(parseBody('[{"a":1},2]', 'json', 10)).toEqual({ ok: true, items: [{ a: 1 }, 2] });
    expect(parseBody('{"a":1}\n\n{"a":2}\n', 'ndjson', 10)).toEqual({ ok: true, items: [{ a: 1 }, { a: 2 }] });
  });

  it.each([
    ['', 'json', 400],
    ['{"a":', 'json', 400],
    ['42', 'json', 400],
    ['null', 'json', 400],
    ['{"a":1}\n{oops', 'ndjson', 400],
    ['[1,2,3]', 'json', 413],
    ['1\n2\n3', 'ndjson', 413],
    [`[${'['.repeat(100)}${']'.repeat(100)}]`, 'json', 400],
  ] as const)('refuses %j as %s with %i', (body, media, status) => {
    const r = parseBody(body, media, 2);
    expect(r.ok ? 200 : r.status).toBe(status);
  });
});

describe('nestingDepth', () => {
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestingDepth('[{"a":"[[[{{{\\"[[["}]')).toBe(2);
    expect(nestingDepth('[[[]]]')).toBe(3);
  });
});
