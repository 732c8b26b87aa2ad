import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presentedKey } from './authenticate.ts';
import { addKey, cachedKeyLookup, cachedKeyVerifier, readKeysFile, revokeKey, verifyApiKey } from './keys-file.ts';
import { findKey, generateKey, hashKey, senderOf } from './keys.ts';

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
    expect(await cachedKeyLookup(file)(key)).toMatchObject({ name: 'server', scope: { kind: 'ingest' } });
  });

  it('reads a keys file written before senders and campaign lists, each key its own sender', async () => {
    const key = generateKey();
    const old = { name: 'adserver', hash: hashKey(key), scope: { kind: 'ingest' }, created_at: '2025-01-01T00:00:00Z' };
    await addKey(file, { kind: 'all' }, 'ops'); // makes the folder
    await writeFile(file, JSON.stringify({ keys: [old] }));
    const stored = await cachedKeyLookup(file)(key);
    expect(stored).toEqual(old);
    expect(stored && senderOf(stored)).toBe('adserver');
  });

  it('stores a sender shared by several keys, and an ingest key its campaigns', async () => {
    const eu = await addKey(file, { kind: 'ingest', campaigns: ['c1'] }, 'acme-eu', { sender: 'acme' });
    const us = await addKey(file, { kind: 'ingest' }, 'acme-us', { sender: 'acme' });
    const lookup = cachedKeyLookup(file);
    const [a, b] = [await lookup(eu.key), await lookup(us.key)];
    expect(a).toMatchObject({ name: 'acme-eu', sender: 'acme', scope: { kind: 'ingest', campaigns: ['c1'] } });
    expect([a && senderOf(a), b && senderOf(b)]).toEqual(['acme', 'acme']);
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

  it('the cached verifier sees a new key and a revoked one on the very next call', async () => {
    const verify = cachedKeyVerifier(file);
    const { key: first } = await addKey(file, { kind: 'all' }, 'a');
    expect(await verify(first)).toEqual({ kind: 'all' });
    const { key: second } = await addKey(file, { kind: 'all' }, 'b');
    expect(await verify(second)).toEqual({ kind: 'all' });
    await revokeKey(file, 'b');
    expect(await verify(second)).toBeUndefined();
    expect(await verify(first)).toEqual({ kind: 'all' });
  });

  it('sees an edit in place too, and a malformed file is not kept', async () => {
    const lookup = cachedKeyLookup(file);
    const { key, stored } = await addKey(file, { kind: 'all' }, 'ops');
    expect(await lookup(key)).toEqual(stored);
    await writeFile(file, '{"keys": [');
    await expect(lookup(key)).rejects.toThrow();
    await writeFile(file, JSON.stringify({ keys: [{ ...stored, name: 'renamed' }] }));
    expect(await lookup(key)).toMatchObject({ name: 'renamed' });
  });

  it('concurrent updates lose no key, and leave no lock or temp file behind', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `k${i}`);
    await Promise.all(names.map((n) => addKey(file, { kind: 'all' }, n)));
    expect((await readKeysFile(file)).map((k) => k.name).sort()).toEqual([...names].sort());
    await Promise.all(names.slice(0, 10).map((n) => revokeKey(file, n)));
    expect((await readKeysFile(file)).map((k) => k.name).sort()).toEqual(names.slice(10).sort());
    expect(await readdir(path.dirname(file))).toEqual(['api-keys.json']);
  });

  it('takes over a lock left by a process that died', async () => {
    await addKey(file, { kind: 'all' }, 'first');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(`${file}.lock`, `${dead} ${hostname()} abc\n`);
    await addKey(file, { kind: 'all' }, 'second');
    expect((await readKeysFile(file)).map((k) => k.name)).toEqual(['first', 'second']);
    expect(await readdir(path.dirname(file))).toEqual(['api-keys.json']);
  });

  it('takes over a lock of another host once it is older than any update', async () => {
    await addKey(file, { kind: 'all' }, 'first');
    await writeFile(`${file}.lock`, `1 elsewhere abc\n`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    await addKey(file, { kind: 'all' }, 'second');
    expect((await readKeysFile(file)).map((k) => k.name)).toEqual(['first', 'second']);
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
