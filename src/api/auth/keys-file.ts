/**
 * The keys file (config.api.keysFile): `{"keys": [{name, hash, scope, created_at}]}`. Updated by
 * `tollbooth keys` under a lock and replaced atomically (mode 0600); read by the ingest, the
 * stats API and the psql endpoint, which all see a change on their next request.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { withFileLock } from './keys-lock.ts';
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

/** Replaces the file with these keys; a read-change-write goes through updateKeysFile's lock. */
export async function writeKeysFile(file: string, keys: readonly StoredKey[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(`${JSON.stringify({ keys }, null, 2)}\n`);
      await handle.sync(); // the rename must not land before the content does
    } finally {
      await handle.close();
    }
    await rename(tmp, file); // readers see the old file or the new one, never half of one
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Reads, changes and writes the file under its lock, so concurrent updates never lose one. */
async function updateKeysFile<T>(
  file: string,
  change: (keys: StoredKey[]) => { keys: StoredKey[] | null; result: T },
): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  return withFileLock(file, async () => {
    const { keys, result } = change(await readKeysFile(file));
    if (keys !== null) await writeKeysFile(file, keys);
    return result;
  });
}

/**
 * The stats scope of `key`, or undefined if it is not a stored stats key (ingest keys read
 * nothing). Reads the file on every call: for the psql endpoint, which checks once per connection.
 */
export async function verifyApiKey(keysFile: string, key: string): Promise<Scope | undefined> {
  const stored = findKey(await readKeysFile(keysFile), key);
  return stored ? statsScopeOf(stored.scope) : undefined;
}

/** verifyApiKey for the HTTP API, with cachedKeyLookup's cost per request. */
export function cachedKeyVerifier(keysFile: string): (key: string) => Promise<Scope | undefined> {
  const lookup = cachedKeyLookup(keysFile);
  return async (key) => {
    const stored = await lookup(key);
    return stored ? statsScopeOf(stored.scope) : undefined;
  };
}

/**
 * The stored key (stats or ingest) of a presented key, for the ingest and the stats API. Every
 * call checks the file's identity with one stat and re-reads it only when that changed, so a
 * key created or revoked is seen on the very next request, for a few µs a call (see
 * bench/keys-lookup.ts). Writers replace the file by rename, so each version is a new inode;
 * size and times catch an operator's edit in place.
 */
export function cachedKeyLookup(keysFile: string): (key: string) => Promise<StoredKey | undefined> {
  let loaded: { version: string; keys: Promise<StoredKey[]> } | undefined;
  return async (key) => {
    const version = versionOf(keysFile);
    if (loaded?.version !== version) {
      const current = { version, keys: readKeysFile(keysFile) };
      loaded = current;
      // A failed read (a malformed file) is not kept: the next request tries again.
      current.keys.catch(() => {
        if (loaded === current) loaded = undefined;
      });
    }
    return findKey(await loaded.keys, key);
  };
}

function versionOf(file: string): string {
  try {
    // Synchronous on purpose: about 3 µs on the local state folder, where an async stat costs
    // about 30 µs of thread-pool round trip per request.
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
}

export class KeyNameTakenError extends Error {}

/**
 * Creates a key with this scope, stores its hash, and returns the key itself: the only time it
 * exists in clear. Names are unique, so that `keys revoke NAME` is unambiguous. An ingest key
 * may name its sender (default: its name), so that several keys send as one.
 */
export async function addKey(
  keysFile: string,
  scope: KeyScope,
  name?: string,
  options: { sender?: string; now?: Date } = {},
): Promise<{ key: string; stored: StoredKey }> {
  const key = generateKey();
  const hash = hashKey(key);
  const stored: StoredKey = {
    name: name ?? `key-${hash.slice(7, 15)}`,
    hash,
    scope,
    ...(options.sender !== undefined ? { sender: options.sender } : {}),
    created_at: (options.now ?? new Date()).toISOString(),
  };
  const taken = await updateKeysFile(keysFile, (keys) =>
    keys.some((k) => k.name === stored.name)
      ? { keys: null, result: true }
      : { keys: [...keys, stored], result: false },
  );
  if (taken) throw new KeyNameTakenError(`a key named "${stored.name}" exists already`);
  return { key, stored };
}

/** Removes the key of this name; false if there is none. */
export async function revokeKey(keysFile: string, name: string): Promise<boolean> {
  return updateKeysFile(keysFile, (keys) => {
    const kept = keys.filter((k) => k.name !== name);
    return kept.length === keys.length ? { keys: null, result: false } : { keys: kept, result: true };
  });
}
