import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIABLES } from './config-errors.ts';
import { ConfigError, loadConfig } from './config.ts';

const stackDir = mkdtempSync(path.join(tmpdir(), 'tollbooth-config-'));
const base = { TOLLBOOTH_STACK_DIR: stackDir };

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(env)}`);
}

/** Settings the code sets itself: no variable holds them. */
const FIXED = ['repoRoot', 'clickhouse.readerUser', 'clickhouse.apiUser', 'clickhouse.writerUser'];

function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || prefix in VARIABLES) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('config errors name the environment variable', () => {
  const config = loadConfig(base);

  it('every setting has its variable', () => {
    expect(
      leafPaths(config)
        .filter((p) => !FIXED.includes(p))
        .sort(),
    ).toEqual(Object.keys(VARIABLES).sort());
  });

  it('each number setting is named by its own variable', () => {
    const numbers = Object.entries(VARIABLES).filter(
      ([p]) => typeof p.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], config) === 'number',
    );
    expect(numbers.length).toBeGreaterThan(25);
    for (const [, name] of numbers)
      expect(errorOf({ [`TOLLBOOTH_${name}`]: 'abc' })).toMatch(
        new RegExp(`^TOLLBOOTH_${name}: expected a .*, got 'abc'$`),
      );
  });

  it('says what a number must be', () => {
    expect(errorOf({ TOLLBOOTH_KAFKA_PORT: 'abc' })).toBe(
      "TOLLBOOTH_KAFKA_PORT: expected a port number (1-65535), got 'abc'",
    );
    expect(errorOf({ TOLLBOOTH_API_PORT: '70000' })).toBe(
      "TOLLBOOTH_API_PORT: expected a port number (1-65535), got '70000'",
    );
    expect(errorOf({ TOLLBOOTH_WINDOW_SECONDS: '1.5' })).toBe(
      "TOLLBOOTH_WINDOW_SECONDS: expected a whole number above 0, got '1.5'",
    );
    expect(errorOf({ TOLLBOOTH_GRACE_MS: '-1' })).toBe(
      "TOLLBOOTH_GRACE_MS: expected a whole number of 0 or more, got '-1'",
    );
    expect(errorOf({ TOLLBOOTH_API_RATE_PER_KEY: '0' })).toBe(
      "TOLLBOOTH_API_RATE_PER_KEY: expected a number above 0, got '0'",
    );
  });

  it('says what a text must be, and lists every bad setting on one line', () => {
    expect(errorOf({ TOLLBOOTH_CLICKHOUSE_DATABASE: 'Bad-Name', TOLLBOOTH_REDIS_PREFIX: 'a{b}' })).toBe(
      "TOLLBOOTH_CLICKHOUSE_DATABASE: expected to match /^[a-z_][a-z0-9_]*$/, got 'Bad-Name'; " +
        "TOLLBOOTH_REDIS_PREFIX: must not contain { or }, got 'a{b}'",
    );
    expect(errorOf({ TOLLBOOTH_HOST: '' })).toBe("TOLLBOOTH_HOST: at least 1 character is required, got ''");
  });

  it('names a bad secret without printing it', () => {
    for (const name of [
      'REDIS_PASSWORD',
      'CLICKHOUSE_READER_PASSWORD',
      'CLICKHOUSE_API_PASSWORD',
      'CLICKHOUSE_WRITER_PASSWORD',
      'CLICKHOUSE_DEFAULT_PASSWORD',
      'LINK_USER_SECRET',
    ])
      expect(errorOf({ [`TOLLBOOTH_${name}`]: 'short-secret' })).toBe(
        `TOLLBOOTH_${name}: at least 16 characters are required`,
      );
    expect(errorOf({ TOLLBOOTH_REDIS_PASSWORD: 'dev-password-for-local-use' })).toBe(
      'TOLLBOOTH_REDIS_PASSWORD: refusing a known development value; set a generated one',
    );
  });
});
