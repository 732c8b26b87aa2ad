/**
 * psycopg 3, psycopg2 and asyncpg (from PyPI) against the endpoint: the checks live in
 * clients/python/drivers.py, which asserts native Python types and exits non-zero on the first
 * failure. Needs `pip install psycopg[binary] psycopg2-binary asyncpg` (.ci/run installs them).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClient } from './clients/run-client.ts';
import { startPgFixture, type PgFixture } from './fixture.ts';

let fx: PgFixture;
beforeAll(async () => {
  fx = await startPgFixture('py');
});
afterAll(async () => {
  await fx?.close();
});

describe('Python drivers', () => {
  it('psycopg 3, psycopg2 and asyncpg run parameterized queries and get native types', async () => {
    const run = await runClient(
      'python3',
      [path.join(fx.config.repoRoot, 'test', 'pg', 'clients', 'python', 'drivers.py')],
      fx.env,
    );
    expect(run.output).toMatch(/\d+ passed, 0 failed/);
    expect(run.code, run.output).toBe(0);
  });
});
