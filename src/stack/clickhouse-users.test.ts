/**
 * The ClickHouse users' profiles are the limits of the API and the Postgres-wire endpoint: with
 * readonly=1 a per-query setting must equal the profile's or ClickHouse refuses it, so the
 * numbers the code relies on and the numbers in users.xml must not drift apart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../api/pg/query.ts';
import { QUERY_TIMEOUT_SECONDS } from '../api/queries/clickhouse-stats.ts';
import { MAX_BUCKET_ROWS } from '../api/queries/sql.ts';

const usersXml = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../stack/clickhouse/users.xml'),
  'utf8',
);

function section(kind: 'profiles' | 'users', name: string): string {
  const outer = new RegExp(`<${kind}>([\\s\\S]*?)</${kind}>`).exec(usersXml)?.[1] ?? '';
  return new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(outer)?.[1] ?? '';
}

const setting = (profile: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(section('profiles', profile))?.[1];

describe('stack/clickhouse/users.xml', () => {
  it('gives every user a password hash, and the networks the renderer fills in', () => {
    for (const user of ['default', 'writer', 'api', 'analyst']) {
      const body = section('users', user);
      expect(body, user).toMatch(/<password_sha256_hex>\$\{[A-Z_]+\}<\/password_sha256_hex>/);
      expect(body, user).not.toMatch(/<password>/);
      expect(body, user).toContain('<networks>${NETWORKS}</networks>');
    }
  });

  it('makes the readers readonly=1 with their limits in the profile', () => {
    for (const profile of ['api', 'analyst']) {
      expect(setting(profile, 'readonly'), profile).toBe('1');
      for (const limit of ['max_execution_time', 'max_memory_usage', 'max_threads', 'max_result_rows']) {
        expect(Number(setting(profile, limit)), `${profile}.${limit}`).toBeGreaterThan(0);
      }
      expect(setting(profile, 'result_overflow_mode'), profile).toBe('throw');
    }
  });

  it('agrees with the limits the API and the Postgres-wire endpoint expect', () => {
    expect(Number(setting('api', 'max_execution_time'))).toBe(QUERY_TIMEOUT_SECONDS);
    expect(Number(setting('api', 'max_result_rows'))).toBe(MAX_BUCKET_ROWS);
    // The endpoint waits 2 s past the profile's own limit, so ClickHouse's clearer error arrives first.
    expect(Number(setting('analyst', 'max_execution_time')) + 2).toBe(DEFAULT_LIMITS.timeoutMs / 1000);
    expect(Number(setting('analyst', 'max_result_rows'))).toBe(DEFAULT_LIMITS.maxRows);
  });
});
