/**
 * SET through psql: a Postgres setting the endpoint knows is kept for the session; anything else,
 * ClickHouse's `readonly` or `max_execution_time` above all, is an error naming the setting, not
 * a `SET` that pretends the change was made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgFixture, type PgFixture } from './fixture.ts';
import { psql, type PsqlTarget } from './psql.ts';

let fx: PgFixture;
let target: PsqlTarget;
beforeAll(async () => {
  fx = await startPgFixture('settings');
  target = { ...fx.target };
});
afterAll(async () => {
  await fx?.close();
});

describe('SET through psql', () => {
  it('refuses a setting the endpoint does not know, naming it', async () => {
    const refused = [
      ['SET readonly = 0', 'readonly'],
      ['SET SESSION max_execution_time TO 0', 'max_execution_time'],
      ['SET LOCAL max_memory_usage = 0', 'max_memory_usage'],
      ['SET allow_ddl = 1', 'allow_ddl'],
      ["SELECT set_config('readonly', '0', false)", 'readonly'],
      ['RESET max_threads', 'max_threads'],
    ];
    for (const [sql, name] of refused) {
      const run = await psql(target, { sql: sql ?? '' });
      expect({ sql, ...run }).toEqual({
        sql,
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(
          new RegExp(`^ERROR: {2}42704: unrecognized configuration parameter "${name}"\\nHINT: {2}ClickHouse settings`),
        ),
      });
    }
  });

  it('keeps the Postgres settings drivers change in the same session', async () => {
    const run = await psql(target, {
      script: [
        "SET application_name = 'report';",
        'SET extra_float_digits = 3;',
        "SET TIME ZONE 'UTC';",
        'SHOW application_name;',
        'SHOW extra_float_digits;',
        'SET readonly = 0;',
        'SHOW readonly;',
      ].join('\n'),
    });
    expect(run.stdout).toBe('SET\nSET\nSET\nreport\n3\n');
    expect(run.stderr.match(/ERROR: {2}\w+: .*/g)).toEqual([
      'ERROR:  42704: unrecognized configuration parameter "readonly"',
      'ERROR:  42704: unrecognized configuration parameter "readonly"',
    ]);
  });
});
