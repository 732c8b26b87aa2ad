/**
 * The psql helper itself: a psql that exits before reading its input (a refused connection, as
 * while a container restarts) is an answer with its exit code, not an EPIPE thrown out of the
 * test run (CI of 2026-12-05 failed on one, from the compose test's ledger).
 */
import { expect, it } from 'vitest';
import { closedPort } from '../ingest/harness.ts';
import { psql } from './psql.ts';

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
