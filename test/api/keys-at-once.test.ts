/**
 * Keys take effect at once: the ingest (real Redis and Kafka) and the stats API accept a key on
 * the very next request after `keys create` returns and refuse it on the next one after
 * `keys revoke`; concurrent `tollbooth keys create` processes never lose a key.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { addKey, cachedKeyVerifier, readKeysFile, revokeKey } from '../../src/api/auth/keys-file.ts';
import { ApiMetrics } from '../../src/api/metrics.ts';
import { recordingStore, TEST_RATE_LIMITS } from '../../src/api/testing.ts';
import { environmentWith } from '../../src/shared/config.ts';
import { logger } from '../../src/shared/logger.ts';
import { BROWSER, cleanUp, setUpTopics, startTestIngest, testEnv, type TestIngest } from '../ingest/harness.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('a new or revoked key, on the very next request', () => {
  let ingest: TestIngest;
  beforeAll(async () => {
    ingest = await startTestIngest(await testEnv('keysnow'));
    await setUpTopics(ingest.config);
  });
  afterAll(async () => {
    await ingest.close();
    await cleanUp(ingest.config);
  });

  const click = (key: string, id: string) =>
    ingest.app.inject({
      method: 'POST',
      url: '/v1/clicks',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'user-agent': BROWSER },
      payload: { click_id: id, ad_id: 'ad-keys', user_id: `u-${id}`, ts: Date.now() },
    });

  it('the ingest accepts a key created just before, and refuses it right after revoke', async () => {
    // A first request loads the keys file, so the next ones would be served from any cache.
    expect((await click(ingest.ingestKey, 'warm')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) {
      const { key } = await addKey(ingest.config.api.keysFile, { kind: 'ingest' }, `fresh-${i}`);
      const created = await click(key, `fresh-${i}`);
      expect(created.statusCode, created.body).toBe(200);
      expect(created.json()).toMatchObject({ accepted: 1 });
      expect(await revokeKey(ingest.config.api.keysFile, `fresh-${i}`)).toBe(true);
      const revoked = await click(key, `after-${i}`);
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json()).toEqual({ error: 'unknown or revoked key' });
    }
  });
});

describe('the stats API', () => {
  let dir: string;
  let api: FastifyInstance;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tollbooth-keys-now-'));
    const file = path.join(dir, 'api-keys.json');
    api = buildApp({
      store: recordingStore(),
      metrics: new ApiMetrics(),
      verifyKey: cachedKeyVerifier(file),
      log: logger.child({ component: 'api-test' }, { level: 'silent' }),
      rateLimits: TEST_RATE_LIMITS,
    });
    await api.ready();
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a key created just before, and refuses it right after revoke', async () => {
    const file = path.join(dir, 'api-keys.json');
    const late = (key: string) =>
      api.inject({
        method: 'GET',
        url: '/v1/late?from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z',
        headers: { authorization: `Bearer ${key}` },
      });
    const { key: first } = await addKey(file, { kind: 'all' }, 'first');
    expect((await late(first)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) {
      const { key } = await addKey(file, { kind: 'all' }, `next-${i}`);
      expect((await late(key)).statusCode).toBe(200);
      expect(await revokeKey(file, `next-${i}`)).toBe(true);
      expect((await late(key)).statusCode).toBe(401);
    }
  });
});

describe('tollbooth keys create, as a process', () => {
  let dir: string;
  let file: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tollbooth-keys-cli-'));
    file = path.join(dir, 'api-keys.json');
    env = environmentWith({ TOLLBOOTH_API_KEYS_FILE: file }) as NodeJS.ProcessEnv;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const keys = (...args: string[]) =>
    run(process.execPath, ['bin/tollbooth.js', 'keys', ...args], { cwd: repoRoot, env });

  it('gives an ingest key a sender and the campaigns it may name; refuses them for a stats key', async () => {
    await keys('create', '--scope', 'ingest', '--name', 'acme-eu', '--sender', 'acme', '--campaigns', 'c1,c2');
    const [stored] = await readKeysFile(file);
    expect(stored).toMatchObject({
      name: 'acme-eu',
      sender: 'acme',
      scope: { kind: 'ingest', campaigns: ['c1', 'c2'] },
    });
    const refused = await keys('create', '--scope', 'all', '--sender', 'acme').catch((err: unknown) => err);
    expect(refused).toMatchObject({
      code: 2,
      stderr: 'tollbooth: --sender and --campaigns are for --scope ingest only; see `tollbooth keys create --help`\n',
    });
    expect((await keys('list')).stdout).toMatch(
      /^acme-eu\t\w{8}\t\S+\tingest \(sends clicks naming campaigns c1, c2, reads nothing\)\tsender acme\n$/,
    );
    await rm(file);
  });

  it('keeps every key when several processes create keys at once', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `racer-${i}`);
    const outputs = await Promise.all(names.map((name) => keys('create', '--scope', 'ingest', '--name', name)));
    for (const out of outputs) expect(out.stdout).toMatch(/^tb_[A-Za-z0-9_-]{43}\n$/);
    expect((await readKeysFile(file)).map((k) => k.name).sort()).toEqual(names);
  });
});
