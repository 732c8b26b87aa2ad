/**
 * The ingest process killed with SIGKILL in the middle of a stream of batches, restarted, and
 * the client resending every batch that got no reply: every accepted click_id is in Kafka.
 * Then SIGTERM: the process finishes and exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey } from '../../src/api/auth/keys-file.ts';
import { loadConfig, type Config } from '../../src/shared/config.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { eventually } from '../helpers/prefix.ts';
import { BROWSER, cleanUp, clickIds, closedPort, readTopic, setUpTopics, testEnv } from './harness.ts';

// Enough batches that the kill lands mid-stream with requests in flight.
const BATCHES = 40;
const CLICKS_PER_BATCH = 200;
const CONCURRENCY = 3;

let env: Record<string, string | undefined>;
let config: Config;
let child: ChildProcess | null = null;
let output = '';
let ingestKey = '';

beforeAll(async () => {
  env = await testEnv('crash', { TOLLBOOTH_INGEST_PORT: String(await closedPort()) });
  config = loadConfig(env);
  // Batches of 200: a server's traffic, over the anonymous limit of 100 clicks.
  ingestKey = (await addKey(config.api.keysFile, { kind: 'ingest' }, 'crash-sender')).key;
  await setUpTopics(config);
  // The load is an ad server's, as real load is: anonymous callers are limited per address.
  ingestKey = (await addKey(config.api.keysFile, { kind: 'ingest' }, 'crash-load')).key;
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (config) await cleanUp(config);
});

const base = () => `http://${config.host}:${config.ingest.port}`;

function startChild(): ChildProcess {
  const proc = spawn(process.execPath, ['bin/tollbooth.js', 'ingest'], {
    cwd: config.repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return proc;
}

async function healthy(): Promise<void> {
  await eventually(
    async () => ((await fetch(`${base()}/healthz`).catch(() => null))?.ok ? true : undefined),
    60_000,
    `ingest on ${base()}\n${output}`,
  );
}

function exited(proc: ChildProcess): Promise<number | null> {
  return proc.exitCode !== null
    ? Promise.resolve(proc.exitCode)
    : new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

const now = Date.now();
const batches = Array.from({ length: BATCHES }, (_, b) =>
  Array.from({ length: CLICKS_PER_BATCH }, (_, i) => ({
    click_id: `k${b}-${i}`,
    ad_id: `ad${i % 7}`,
    user_id: `user-${b}-${i}`,
    ts: now,
    user_agent: BROWSER,
  })),
);

/** Sends every batch until it gets a 200, resending after any error or 503; returns accepted ids. */
async function sendAll(onReply: () => void): Promise<Set<string>> {
  const accepted = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] ?? [];
      for (;;) {
        const headers = {
          'content-type': 'application/json',
          'user-agent': BROWSER,
          authorization: `Bearer ${ingestKey}`,
        };
        const res = await fetch(`${base()}/v1/clicks`, { method: 'POST', headers, body: JSON.stringify(batch) }).catch(
          () => null,
        );
        if (res?.status === 200) {
          const body = (await res.json()) as { results: { click_id: string; status: string }[] };
          for (const r of body.results) if (r.status === 'accepted') accepted.add(r.click_id);
          onReply();
          break;
        }
        await healthy(); // no reply (process gone) or 503: wait until it serves again, then resend
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return accepted;
}

describe('ingest killed with SIGKILL mid-stream', () => {
  it('loses no accepted click when the client resends unanswered batches', async () => {
    child = startChild();
    await healthy();
    let replies = 0;
    let killed: Promise<void> | null = null;
    const sending = sendAll(() => {
      replies++;
      if (replies === 5 && child) {
        const victim = child;
        victim.kill('SIGKILL');
        killed = exited(victim).then(() => {
          child = startChild();
        });
      }
    });
    const accepted = await sending;
    expect(killed).not.toBeNull();
    await killed;
    expect(accepted.size).toBe(BATCHES * CLICKS_PER_BATCH);

    const msgs = await readTopic(
      config,
      topicNames(config).clicks,
      (ms) => {
        const ids = new Set(clickIds(ms));
        return [...accepted].every((id) => ids.has(id));
      },
      90_000,
    );
    const inKafka = new Set(clickIds(msgs));
    const missing = [...accepted].filter((id) => !inKafka.has(id));
    expect(missing).toEqual([]);

    // And a graceful stop: SIGTERM, in-flight work finished, exit code 0.
    const last = child;
    last?.kill('SIGTERM');
    expect(last ? await exited(last) : null).toBe(0);
  });
});
