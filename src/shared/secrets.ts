/**
 * Secrets: none has a value in the source. Each is given by the operator (an environment
 * variable, read by config.ts) or generated once, at first start, into a 0600 file of the state
 * folder (`<stack dir>/secrets/<name>`), and read from there on every later start.
 * A value known from development or documentation is refused wherever it comes from.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The secrets the project keeps; one file each. */
export type SecretName =
  | 'link_secret'
  | 'link_user_secret'
  | 'clickhouse_default_password'
  | 'clickhouse_reader_password'
  | 'clickhouse_api_password'
  | 'clickhouse_writer_password'
  | 'redis_password';

/** Values that once lived in the source or docs, or that anyone would guess. */
export const KNOWN_DEV_VALUES: ReadonlySet<string> = new Set([
  'dev-only-link-secret-change-me',
  'reader-dev-password',
  'password',
  'changeme',
  'change-me',
  'secret',
  'default',
  'admin',
]);

export class SecretError extends Error {}

/** Throws when a secret is too short or a known development value. */
export function assertUsableSecret(name: string, value: string): void {
  if (value.length < 16) throw new SecretError(`secret ${name}: at least 16 characters are required`);
  const lower = value.toLowerCase();
  if (KNOWN_DEV_VALUES.has(lower) || lower.includes('change-me') || lower.includes('dev-password')) {
    throw new SecretError(`secret ${name}: refusing a known development value; set a generated one`);
  }
}

export function secretsDir(stackDir: string): string {
  return path.join(stackDir, 'secrets');
}

/**
 * The operator's value when given, else the one in the state folder, generated there (32 random
 * bytes, base64url, mode 0600) when missing. Two processes racing on a first start agree: the
 * file is created exclusively and the loser reads the winner's.
 */
export function stateSecret(stackDir: string, name: SecretName, operatorValue?: string): string {
  if (operatorValue !== undefined && operatorValue !== '') {
    assertUsableSecret(name, operatorValue);
    return operatorValue;
  }
  const dir = secretsDir(stackDir);
  const file = path.join(dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  chmodSync(file, 0o600);
  const value = readFileSync(file, 'utf8').trim();
  assertUsableSecret(name, value);
  return value;
}
