import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presentedKey } from './authenticate.ts';
import { addKey, cachedKeyLookup, cachedKeyVerifier, readKeysFile, revokeKey, verifyApiKey } from './keys-file.ts';
import { findKey, generateKey, hashKey } from './keys.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tollbooth-keys-'));
  file = path.join(dir, 'sub', 'api-keys.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('keys', () => {
  it('are random and stored only as a hash', async () => {
    const a = generateKey();
    expect(a).toMatch(/^tb_[A-Za-z0-9_-]{43}$/);
    expect(generateKey()).not.toBe(a);
    const { key, stored } = await addKey(file, { kind: 'all' }, 'ops');
    expect(stored.hash).toBe(hashKey(key));
    const text = JSON.stringify(await readKeysFile(file));
    expect(text).not.toContain(key);
    expect(findKey([stored], key)?.name).toBe('ops');
    expect(findKey([stored], `${key}x`)).toBeUndefined();
  });

  it('verifyApiKey gives the scope of a stored key, undefined otherwise', async () => {
    expect(await verifyApiKey(file, 'tb_none')).toBeUndefined(); // no file yet
    const { key } = await addKey(file, { kind: 'campaigns', campaigns: ['c1'] }, 'acme');
    expect(await verifyApiKey(file, key)).toEqual({ kind: 'campaigns', campaigns: ['c1'] });
    expect(await verifyApiKey(file, generateKey())).toBeUndefined();
    expect(await verifyApiKey(file, '')).toBeUndefined();
  });

  it('an ingest key reads no stats, and the ingest lookup sees it', async () => {
    const { key } = await addKey(file, { kind: 'ingest' }, 'server');
    expect(await verifyApiKey(file, key)).toBeUndefined();
    expect(await cachedKeyVerifier(file)(key)).toBeUndefined();
    expect(await cachedKeyLookup(file)(key)).toEqual({ name: 'server', scope: { kind: 'ingest' } });
  });

  it('refuses duplicate names; revoke removes a key', async () => {
    const { key } = await addKey(file, { kind: 'all' }, 'ops');
    await expect(addKey(file, { kind: 'all' }, 'ops')).rejects.toThrow(/exists already/);
    expect(await revokeKey(file, 'ops')).toBe(true);
    expect(await revokeKey(file, 'ops')).toBe(false);
    expect(await verifyApiKey(file, key)).toBeUndefined();
  });

  it('a malformed keys file is an error, not an empty one', async () => {
    await addKey(file, { kind: 'all' }, 'ops');
    await writeFile(
      file,
      JSON.stringify({ keys: [{ name: 'x', hash: 'plain', scope: { kind: 'all' }, created_at: '' }] }),
    );
    await expect(verifyApiKey(file, 'k')).rejects.toThrow(/hash/);
  });

  it('the cached verifier sees a new key once the file changes', async () => {
    let now = 0;
    const verify = cachedKeyVerifier(file, () => now);
    const { key: first } = await addKey(file, { kind: 'all' }, 'a');
    expect(await verify(first)).toEqual({ kind: 'all' });
    const { key: second } = await addKey(file, { kind: 'all' }, 'b');
    await utimes(file, new Date(), new Date(Date.now() + 5000)); // mtime resolution must not hide the change
    expect(await verify(second)).toBeUndefined(); // within the recheck interval
    now += 1000;
    expect(await verify(second)).toEqual({ kind: 'all' });
  });
});

describe('presentedKey', () => {
  it('reads Bearer or X-API-Key and says what is wrong otherwise', () => {
    expect(presentedKey({ authorization: 'Bearer tb_abc' })).toEqual({ ok: true, key: 'tb_abc' });
    expect(presentedKey({ authorization: 'bearer  tb_abc' })).toEqual({ ok: true, key: 'tb_abc' });
    expect(presentedKey({ 'x-api-key': 'tb_abc' })).toEqual({ ok: true, key: 'tb_abc' });
    expect(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Bearer'),
    });
    expect(presentedKey({})).toMatchObject({ ok: false, reason: expect.stringContaining('missing API key') });
  });
});
