import { describe, expect, it } from 'vitest';
import { nestingDepth, parseBody } from './parse-body.ts';

describe('parseBody', () => {
  it('takes one object, an array, or NDJSON', async () => {
    expect(await parseBody('{"a":1}', 'json', 10)).toEqual({ ok: true, items: [{ a: 1 }] });
    expect(await parseBody(' [{"a":1} , 2 ,"x,]}" ,[3,{"b":[]}]] \n', 'json', 10)).toEqual({
      ok: true,
      items: [{ a: 1 }, 2, 'x,]}', [3, { b: [] }]],
    });
    expect(await parseBody('[ ]', 'json', 10)).toEqual({ ok: true, items: [] });
    expect(await parseBody('{"a":1}\n\n{"a":2}\n', 'ndjson', 10)).toEqual({ ok: true, items: [{ a: 1 }, { a: 2 }] });
  });

  it.each([
    ['', 'json', 400],
    ['{"a":', 'json', 400],
    ['42', 'json', 400],
    ['null', 'json', 400],
    ['[1,,2]', 'json', 400],
    ['[1,]', 'json', 400],
    ['[,1]', 'json', 400],
    ['[1 2]', 'json', 400],
    ['[1,2', 'json', 400],
    ['[1,"2]', 'json', 400],
    ['[1}', 'json', 400],
    ['[1] x', 'json', 400],
    ['[1][2]', 'json', 400],
    ['{"a":1}\n{oops', 'ndjson', 400],
    ['[1,2,3]', 'json', 413],
    ['1\n2\n3', 'ndjson', 413],
    [`[${'['.repeat(100)}${']'.repeat(100)}]`, 'json', 400],
    [`[${'{"a":'.repeat(40)}1${'}'.repeat(40)}]`, 'json', 400],
  ] as const)('refuses %j as %s with %i', async (body, media, status) => {
    const r = await parseBody(body, media, 2);
    expect(r.ok ? 200 : r.status).toBe(status);
  });

  it('agrees with JSON.parse on an array 31 levels deep and refuses 32', async () => {
    const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(await parseBody(nested(32), 'json', 2)).toEqual({ ok: true, items: [JSON.parse(nested(31))] });
    expect((await parseBody(nested(33), 'json', 2)).ok).toBe(false);
  });

  it('accepts an array body exactly when JSON.parse does (random mutations of valid arrays)', async () => {
    const seeds = ['[{"a":"x,]}\\"","b":[1,{"c":null}]},2,"s",[],{}]', '[ 1 , [2,[3]] , {"k":"v"} ]'];
    const alphabet = '[]{},:"\\ 1a';
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let t = 0; t < 3000; t++) {
      let body = seeds[t % seeds.length] ?? '';
      for (let m = rand(3) + 1; m > 0; m--) {
        const at = rand(body.length + 1);
        const ch = alphabet[rand(alphabet.length)] ?? '';
        body = rand(2) === 0 ? body.slice(0, at) + ch + body.slice(at) : body.slice(0, at) + body.slice(at + 1);
      }
      if (!body.trimStart().startsWith('[')) continue;
      let expected: boolean;
      try {
        expected = Array.isArray(JSON.parse(body));
      } catch {
        expected = false;
      }
      expect((await parseBody(body, 'json', 100)).ok, body).toBe(expected);
    }
  });

  it('names the 413 as told', async () => {
    expect(await parseBody('[1,2,3]', 'json', 2, 'at most 2')).toEqual({ ok: false, status: 413, error: 'at most 2' });
  });

  it('lets the event loop turn while it parses a large array', async () => {
    const body = JSON.stringify(
      Array.from({ length: 20_000 }, (_, i) => ({ click_id: `c${i}`, pad: 'x'.repeat(200) })),
    );
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const parsed = await parseBody(body, 'json', 20_000);
    clearInterval(ticker);
    expect(parsed.ok && parsed.items.length).toBe(20_000);
    expect(turns).toBeGreaterThan(0);
  });
});

describe('nestingDepth', () => {
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestingDepth('[{"a":"[[[{{{\\"[[["}]')).toBe(2);
    expect(nestingDepth('[[[]]]')).toBe(3);
  });
});
