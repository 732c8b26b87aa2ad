/**
 * pgjdbc 42.7 (from Maven Central) with default settings against the endpoint: the checks live
 * in clients/java/PgjdbcCheck.java (run by Java's single-file launcher with the driver jar that
 * .ci/run fetches into the local Maven repository).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClient } from './clients/run-client.ts';
import { startPgFixture, type PgFixture } from './fixture.ts';

/** Fetched by .ci/run: `mvn dependency:get -Dartifact=org.postgresql:postgresql:42.7.14`. */
const PGJDBC_VERSION = '42.7.14';
const JAR = path.join(
  homedir(),
  '.m2',
  'repository',
  'org',
  'postgresql',
  'postgresql',
  PGJDBC_VERSION,
  `postgresql-${PGJDBC_VERSION}.jar`,
);

let fx: PgFixture;
beforeAll(async () => {
  fx = await startPgFixture('jdbc');
});
afterAll(async () => {
  await fx?.close();
});

describe('pgjdbc', () => {
  it('runs PreparedStatements with default settings, gets native Java types, and answers DatabaseMetaData', async () => {
    expect(
      existsSync(JAR),
      `${JAR} missing: run mvn dependency:get -Dartifact=org.postgresql:postgresql:${PGJDBC_VERSION}`,
    ).toBe(true);
    const program = path.join(fx.config.repoRoot, 'test', 'pg', 'clients', 'java', 'PgjdbcCheck.java');
    const run = await runClient('java', ['-cp', JAR, program], fx.env);
    expect(run.output).toMatch(/\d+ passed, 0 failed/);
    expect(run.code, run.output).toBe(0);
  });
});
