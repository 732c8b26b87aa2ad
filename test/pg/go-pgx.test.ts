/**
 * pgx v5 (from the Go module proxy) in its default mode against the endpoint: the checks live in
 * clients/go/main.go, which scans every fixture column into its native Go type.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClient } from './clients/run-client.ts';
import { startPgFixture, type PgFixture } from './fixture.ts';

let fx: PgFixture;
beforeAll(async () => {
  fx = await startPgFixture('pgx');
});
afterAll(async () => {
  await fx?.close();
});

describe('pgx v5', () => {
  it('runs parameterized queries in the default (cached statement) mode and gets native types', async () => {
    const run = await runClient(
      'go',
      ['run', '.'],
      fx.env,
      path.join(fx.config.repoRoot, 'test', 'pg', 'clients', 'go'),
    );
    expect(run.output).toMatch(/\d+ passed, 0 failed/);
    expect(run.code, run.output).toBe(0);
  });
});
