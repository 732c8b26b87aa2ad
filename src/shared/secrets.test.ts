import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretError, stateSecret } from './secrets.ts';

const freshDir = () => mkdtempSync(path.join(tmpdir(), 'tb-secrets-'));

describe('stateSecret', () => {
  it('generates a secret once into a 0600 file and reads the same value later', () => {
    const dir = freshDir();
    const first = stateSecret(dir, 'link_secret');
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(stateSecret(dir, 'link_secret')).toBe(first);
    const file = path.join(dir, 'secrets', 'link_secret');
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('gives each name its own value', () => {
    const dir = freshDir();
    expect(stateSecret(dir, 'redis_password')).not.toBe(stateSecret(dir, 'clickhouse_reader_password'));
  });

  it('prefers the operator value and refuses known development values and short ones', () => {
    const dir = freshDir();
    expect(stateSecret(dir, 'link_secret', 'an-operator-chosen-secret-value')).toBe('an-operator-chosen-secret-value');
    expect(() => stateSecret(dir, 'link_secret', 'dev-only-link-secret-change-me')).toThrow(SecretError);
    expect(() => stateSecret(dir, 'clickhouse_reader_password', 'reader-dev-password')).toThrow(SecretError);
    expect(() => stateSecret(dir, 'redis_password', 'short')).toThrow(SecretError);
  });
});
