/**
 * The psql helper itself: a psql that exits before reading its input (a refused connection, as
 * while a container restarts) is an answer with its exit code, not an EPIPE thrown out of the
 * test run (CI of 2026-12-05 failed on one, from the compose test's ledger).
 */
import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { psql } from './psql.ts';

/** A loopback port that was free a moment ago and has nothing listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

it('answers a refused connection with psql’s exit code and error, for -c and for a long script', async () => {
  const target = { host: '127.0.0.1', port: await closedPort(), database: 'tollbooth', password: 'x' };
  const byCommand = await psql(target, { sql: 'SELECT 1' });
  expect(byCommand.code).toBe(2);
  expect(byCommand.stderr).toMatch(/connection .*refused|could not connect/i);
  // Megabytes on stdin: psql is gone long before the pipe takes them all.
  const byScript = await psql(target, { script: 'SELECT 1;\n'.repeat(400_000) });
  expect(byScript.code).toBe(2);
  expect(byScript.stderr).toMatch(/connection .*refused|could not connect/i);
});
