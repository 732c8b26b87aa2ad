/**
 * The keys file (config.api.keysFile): `{"keys": [{name, hash, scope, created_at}]}`. Written
 * atomically with mode 0600 by `tollbooth keys`; read by the stats API and the psql endpoint.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { findKey, generateKey, hashKey, storedKeySchema, type StoredKey } from './keys.ts';
import { statsScopeOf, type KeyScope, type Scope } from './scope.ts';

const keysFileSchema = z.object({ keys: z.array(storedKeySchema) });

/** The stored keys; none if the file does not exist yet. A malformed file is a fault, not "no keys". */
export async function readKeysFile(file: string): Promise<StoredKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = keysFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.keys;
}

export async function writeKeysFile(file: string, keys: readonly StoredKey[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file); // readers see the old file or the new one, never half of one
}

/**
 * The stats scope of `key`, or undefined if it is not a stored stats key (ingest keys read
 * nothing). Reads the file on every call: for the psql endpoint, which checks once per connection.
 */
export async function verifyApiKey(keysFile: string, key: string): Promise<Scope | undefined> {
  const stored = findKey(await readKeysFile(keysFile), key);
  return stored ? statsScopeOf(stored.scope) : undefined;
}

// A created or revoked key takes effect within this long, without re-reading the file per request.
const RECHECK_MS = 1000;

/** verifyApiKey for the HTTP API: re-reads the file only when its mtime changed, at most once a second. */
export function cachedKeyVerifier(
  keysFile: string,
  now: () => number = Date.now,
): (key: string) => Promise<Scope | undefined> {
  const lookup = cachedKeyLookup(keysFile, now);
  return async (key) => {
    const stored = await lookup(key);
    return stored ? statsScopeOf(stored.scope) : undefined;
  };
}

/** The name and scope of any stored key (stats or ingest), cached like cachedKeyVerifier: for the ingest. */
export function cachedKeyLookup(
  keysFile: string,
  now: () => number = Date.now,
): (key: string) => Promise<{ name: string; scope: KeyScope } | undefined> {
  let keys: StoredKey[] = [];
  let mtimeMs = -1;
  let checkedAt = -Infinity;
  const refresh = async (): Promise<void> => {
    const current = await stat(keysFile).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (current !== mtimeMs) {
      keys = await readKeysFile(keysFile);
      mtimeMs = current;
    }
    checkedAt = now();
  };
  return async (key) => {
    if (now() - checkedAt >= RECHECK_MS) await refresh();
    const stored = findKey(keys, key);
    return stored && { name: stored.name, scope: stored.scope };
  };
}

export class KeyNameTakenError extends Error {}

/**
 * Creates a key with this scope, stores its hash, and returns the key itself: the only time it
 * exists in clear. Names are unique, so that `keys revoke NAME` is unambiguous.
 */
export async function addKey(
  keysFile: string,
  scope: KeyScope,
  name?: string,
  now: Date = new Date(),
): Promise<{ key: string; stored: StoredKey }> {
  const keys = await readKeysFile(keysFile);
  const key = generateKey();
  const hash = hashKey(key);
  const stored: StoredKey = { name: name ?? `key-${hash.slice(7, 15)}`, hash, scope, created_at: now.toISOString() };
  if (keys.some((k) => k.name === stored.name))
    throw new KeyNameTakenError(`a key named "${stored.name}" exists already`);
  await writeKeysFile(keysFile, [...keys, stored]);
  return { key, stored };
}

/** Removes the key of this name; false if there is none. */
export async function revokeKey(keysFile: string, name: string): Promise<boolean> {
  const keys = await readKeysFile(keysFile);
  const kept = keys.filter((k) => k.name !== name);
  if (kept.length === keys.length) return false;
  await writeKeysFile(keysFile, kept);
  return true;
}
