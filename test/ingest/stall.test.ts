/**
 * One caller cannot stall the ingest for the others (issue 21, item 5), against a real ingest
 * process over the real Redis and Kafka: large invalid bodies do not hold up a small request,
 * anonymous requests have small limits, the bytes held at once are capped and a body has a
 * deadline.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey } from '../../src/api/auth/keys-file.ts';
import { loadConfig, type Config } from '../../src/shared/config.ts';
import { eventually } from '../helpers/prefix.ts';
import { startTollbooth, type TollboothProcess } from '../helpers/tollbooth-process.ts';
import { BROWSER, cleanUp, closedPort, setUpTopics, testEnv } from './harness.ts';
import { goodClick } from './listening-ingest.ts';

const MiB = 1024 * 1024;
// Room for the three streams' bodies (about 3 MB each) and the victim, not for five 2.9 MB bodies.
const HELD_CAP = 12 * MiB;
// Short enough for a test, long enough that loopback bodies of a few MB always make it.
const BODY_TIMEOUT_MS = 5000;

let config: Config;
let ingest: TollboothProcess;
let base = '';
let key = '';

beforeAll(async () => {
  const port = await closedPort();
  const env = await testEnv('stall', {
    TOLLBOOTH_INGEST_PORT: String(port),
    TOLLBOOTH_MAX_HELD_BODY_BYTES: String(HELD_CAP),
    TOLLBOOTH_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
  });
  config = loadConfig(env);
  key = (await addKey(config.api.keysFile, { kind: 'ingest' }, `stall-${randomBytes(4).toString('hex')}`)).key;
  await setUpTopics(config);
  base = `http://127.0.0.1:${port}`;
  ingest = await startTollbooth('ingest', ['ingest'], env, `${base}/readyz`);
});

afterAll(async () => {
  await ingest?.stop();
  if (config) await cleanUp(config);
});

const headers = (keyed: boolean, type = 'application/json'): Record<string, string> => ({
  'content-type': type,
  'user-agent': BROWSER,
  ...(keyed ? { authorization: `Bearer ${key}` } : {}),
});
const post = (body: string, keyed: boolean) =>
  fetch(`${base}/v1/clicks`, { method: 'POST', headers: headers(keyed), body });
const uid = () => randomBytes(6).toString('hex');

/** 10,000 items that all fail validation, each through the slow (schema) path. */
const invalidBody = JSON.stringify(
  Array.from({ length: 10_000 }, (_, i) => ({
    click_id: `bad ${i}`,
    ad_id: 'ad 1',
    user_id: '',
    ts: 'x'.repeat(200),
    user_agent: BROWSER,
  })),
);

const p99 = (ms: number[]): number => [...ms].sort((a, b) => a - b)[Math.ceil(ms.length * 0.99) - 1] ?? Infinity;

async function timedSmallRequests(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await post(JSON.stringify(goodClick(`victim-${uid()}`, Date.now())), true);
    expect(res.status, await res.text()).toBe(200);
    times.push(performance.now() - t);
  }
  return times;
}

describe('one caller cannot stall the ingest', () => {
  it("keeps another caller's p99 under max(100 ms, 3x its baseline) while three keyed callers stream 10,000 invalid items", async () => {
    await timedSmallRequests(5); // warm-up: connections, JIT
    const baseline = p99(await timedSmallRequests(30));
    let stop = false;
    const done = [0, 0, 0];
    const streams = done.map(async (_, s) => {
      while (!stop) {
        const res = await post(invalidBody, true);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { invalid: number }).invalid).toBe(10_000);
        done[s] = (done[s] ?? 0) + 1;
      }
    });
    try {
      // The streams are busy once each has had a batch answered; measure from then on.
      await eventually(async () => (done.every((d) => d > 0) ? true : undefined), 120_000, 'every stream answered');
      const loaded = p99(await timedSmallRequests(40));
      expect(loaded, `baseline p99 ${baseline.toFixed(1)} ms`).toBeLessThanOrEqual(Math.max(100, 3 * baseline));
    } finally {
      stop = true;
      await Promise.all(streams);
    }
  });
});

describe('anonymous limits', () => {
  const clicks = (n: number) => Array.from({ length: n }, () => goodClick(`anon-${uid()}`, Date.now()));

  it('refuses 101 anonymous clicks with a 413 that names the limits; a key sends them', async () => {
    const body = JSON.stringify(clicks(101));
    const anon = await post(body, false);
    expect(anon.status).toBe(413);
    const { error } = (await anon.json()) as { error: string };
    expect(error).toContain('100 clicks');
    expect(error).toContain('256 KB');
    expect((await post(body, true)).status).toBe(200);
  });

  it('refuses a 257 KB anonymous body with 413 and takes 100 anonymous clicks', async () => {
    const body = JSON.stringify(clicks(1)).padEnd(257 * 1024, ' ');
    const anon = await post(body, false);
    expect(anon.status).toBe(413);
    expect(((await anon.json()) as { error: string }).error).toContain('256 KB');
    expect((await post(body, true)).status).toBe(200);
    expect((await post(JSON.stringify(clicks(100)), false)).status).toBe(200);
  });
});

interface Pending {
  /** Resolves with the status and Retry-After once the server answers. */
  answered: Promise<{ status: number; retryAfter: string | undefined }>;
  abort(): void;
}

/** A keyed POST that declares `declared` bytes and sends only `sent` of them (its body stays open). */
function partialPost(declared: number, sent: number): Pending {
  const req = request(`${base}/v1/clicks`, {
    method: 'POST',
    headers: { ...headers(true), 'content-length': String(declared) },
  });
  req.on('error', () => undefined); // the server may close a refused body's socket
  const answered = new Promise<{ status: number; retryAfter: string | undefined }>((resolve) =>
    req.on('response', (res) => {
      res.resume();
      const ra = res.headers['retry-after'];
      resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(ra) ? ra[0] : ra });
    }),
  );
  req.write(Buffer.alloc(sent, ' '));
  return { answered, abort: () => req.destroy() };
}

/** The promise's value, or a rejection after `ms` (a server that never answers fails the test, not the run). */
const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

async function bytesHeld(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('tollbooth_ingest_body_bytes_held '));
  return line === undefined ? NaN : Number(line.split(' ')[1]);
}

describe('bodies held at once', () => {
  // Four of these fit under the cap, a fifth does not.
  const HOLD = Math.floor(2.9 * MiB);

  it('answers 503 with Retry-After over the cap, and releases the bytes', async () => {
    const holders = Array.from({ length: 4 }, () => partialPost(3 * MiB, HOLD));
    try {
      await eventually(async () => ((await bytesHeld()) === 4 * HOLD ? true : undefined), 20_000, 'bodies held');
      const over = partialPost(HOLD, HOLD);
      expect(await within(over.answered, 10_000)).toEqual({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
      over.abort();
    } finally {
      holders.forEach((h) => h.abort());
    }
    await eventually(async () => ((await bytesHeld()) === 0 ? true : undefined), 20_000, 'held bytes released');
    const full = JSON.stringify([goodClick(`after-${uid()}`, Date.now())]).padEnd(HOLD, ' ');
    expect((await post(full, true)).status).toBe(200);
  });

  it('answers 408 to a body that does not arrive within the deadline, and releases its bytes', async () => {
    const slow = partialPost(1 * MiB, 100 * 1024);
    const started = Date.now();
    expect((await within(slow.answered, 5 * BODY_TIMEOUT_MS)).status).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 100);
    slow.abort();
    await eventually(async () => ((await bytesHeld()) === 0 ? true : undefined), 20_000, 'held bytes released');
  });
});
