/**
 * psycopg 3, psycopg2 and asyncpg (from PyPI) against the endpoint: the checks live in
 * clients/python/drivers.py, which asserts native Python types and exits non-zero on the first
 * failure. Needs `pip install psycopg[binary] psycopg2-binary asyncpg` (CI installs them).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const script = path.join(fx.config.repoRoot, 'test', 'pg', 'clients', 'python', 'drivers.py');
    const child = spawn('python3', [script], { env: fx.env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(out).toMatch(/\d+ passed, 0 failed/);
    expect(code, out).toBe(0);
  });
});
