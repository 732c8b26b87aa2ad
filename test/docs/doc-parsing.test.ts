/** The docs test's reading of a page: blocks and markers, commands and their shown output, matching. */
import { describe, expect, it } from 'vitest';
import { matchesExpected } from './expected-output.ts';
import { blocksOf } from './markdown-blocks.ts';
import { psqlSteps } from './psql-session.ts';
import { commandsOf } from './shell-commands.ts';
import { BACKGROUND } from './shell-session.ts';

describe('reading a page', () => {
  it('finds blocks, their kind and a skip marker with its reason', () => {
    const page = [
      'text',
      '```sh',
      'npx tollbooth status',
      '```',
      '<!-- docs-test: skip: needs a Docker engine -->',
      '',
      '```sh',
      'docker compose up',
      '```',
      '```text',
      'tollbooth=> SELECT 1;',
      '```',
    ].join('\n');
    expect(blocksOf('p.md', page).map((b) => [b.line, b.kind, b.skip])).toEqual([
      [2, 'shell', undefined],
      [7, 'shell', 'needs a Docker engine'],
      [10, 'psql', undefined],
    ]);
  });

  it('splits commands, quoted lines running on, and takes the # lines after a command as its output', () => {
    const body = [
      '# a comment, not output',
      "curl -s localhost:8080/v1/clicks -d '[",
      '  {"click_id":"c-1"}]\'',
      '# {"accepted":1,',
      '#  "rejected":0}',
      'npx tollbooth tail clicks --max 5   # a comment on the line',
      '',
      '# another comment',
      'echo done',
    ].join('\n');
    expect(commandsOf(body, 10)).toEqual([
      {
        line: 11,
        text: 'curl -s localhost:8080/v1/clicks -d \'[\n  {"click_id":"c-1"}]\'',
        expected: '{"accepted":1,\n "rejected":0}',
      },
      { line: 15, text: 'npx tollbooth tail clicks --max 5   # a comment on the line' },
      { line: 18, text: 'echo done' },
    ]);
  });

  it('reads a psql session into statements and what each printed', () => {
    const body = [
      'tollbooth=> SELECT 1',
      'tollbooth->   AS x;',
      ' x',
      '---',
      ' 1',
      '(1 row)',
      '',
      'tollbooth=> \\q',
    ].join('\n');
    expect(psqlSteps(body)).toEqual([{ sql: 'SELECT 1\n  AS x;', expected: ' x\n---\n 1\n(1 row)'.trim() }]);
  });

  it('knows a background command, with or without a comment, and not &&', () => {
    expect(BACKGROUND.exec('npx tollbooth ingest &   # the ingest')?.[1]).toBe('npx tollbooth ingest');
    expect(BACKGROUND.exec('a && b')).toBeNull();
  });
});

describe('matching what a page shows', () => {
  it('takes ... as any text and compares JSON by structure, not layout', () => {
    expect(matchesExpected('{"a":1,\n "b":"x ..."}', '{"a": 1, "b": "x y z"}')).toBe(true);
    expect(matchesExpected('{"a":1, ...}', '{"a":2,"b":3}')).toBe(false);
    expect(matchesExpected('created migrations/...', 'created migrations/0010_x.sql')).toBe(true);
    expect(matchesExpected(' x \n---\n 1', ' x\n---\n 2')).toBe(false);
    // Keys in any order; ... for a value, the rest of a list or object, or part of a string.
    expect(matchesExpected('{"b":2,"a":1}', '{"a":1,"b":2}')).toBe(true);
    expect(matchesExpected('{"a":...,"l":[{"x":"t: ..."}, ...]}', '{"l":[{"x":"t: y z"},{"x":2}],"a":[1]}')).toBe(true);
    expect(matchesExpected('{"l":[...]}', '{"l":[]}')).toBe(true);
    expect(matchesExpected('{"a":1}', '{"a":1,"b":2}')).toBe(false);
    expect(matchesExpected('{"a":1, ...}', '{"a":1,"b":2}')).toBe(true);
  });
});
