/**
 * Personal data and keys stay out of the logs: a known ip, user id and API key are planted in an
 * ingest batch (valid, resent, invalid and malformed), a click link and API calls (a good key
 * and a bogus one); then nothing the ingest, sink and API processes logged, and no service log
 * of the stack folder, contains any of them.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER } from '../ingest/harness.ts';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.ts';
import { eventually } from '../helpers/prefix.ts';

const hex = (n: number) => randomBytes(n).toString('hex');
const PLANTED = {
  ip: `2001:db8::${hex(2)}:${hex(2)}`,
  userId: `user-${hex(8)}`,
  bogusKey: `tb_${hex(16)}`,
};
const AD = `ad-pii-${hex(3)}`;

let live: LiveStack;
beforeAll(async () => {
  live = await startLiveStack('pii');
});
afterAll(async () => {
  await live?.close();
});

async function post(body: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${live.ingestUrl}/v1/clicks`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER, ...headers },
  });
  await res.text();
  return res.status;
}

async function apiGet(url: string, key: string): Promise<Response> {
  return fetch(`${live.apiUrl}${url}`, { headers: { authorization: `Bearer ${key}` } });
}

describe('personal data in logs', () => {
  it('logs none of a planted ip, user id or API key', async () => {
    const ts = Date.now();
    const click = { click_id: `c-${hex(6)}`, ad_id: AD, user_id: PLANTED.userId, ts, ip: PLANTED.ip };
    const headers = { 'x-forwarded-for': PLANTED.ip };
    expect(
      await post(
        JSON.stringify([
          click,
          click,
          { ...click, click_id: `c-${hex(6)}`, ts: 'not a time' },
          { ...click, click_id: `c-${hex(6)}`, ip: `not-an-ip-${PLANTED.userId}` },
        ]),
        headers,
      ),
    ).toBe(200);
    expect(await post(`[{"user_id": "${PLANTED.userId}", "ip": "${PLANTED.ip}"`, headers)).toBe(400);
    expect(await post(JSON.stringify(click), { 'content-type': 'text/plain' })).toBe(415);
    expect(
      (await fetch(`${live.ingestUrl}/c/${PLANTED.userId}.${PLANTED.bogusKey}`, { redirect: 'manual' })).status,
    ).toBe(400);

    const range = `from=${ts - 120_000}&to=${ts + 120_000}`;
    expect((await apiGet(`/v1/ads/top?${range}&limit=5`, PLANTED.bogusKey)).status).toBe(401);
    expect(
      (await fetch(`${live.apiUrl}/v1/late?${range}`, { headers: { 'x-api-key': PLANTED.bogusKey } })).status,
    ).toBe(401);
    // The click went all the way: ingest, Kafka, sink, ClickHouse, the API.
    let last = '';
    await eventually(
      async () => {
        const res = await apiGet(`/v1/ads/${AD}/clicks?${range}&granularity=minute`, live.apiKey);
        last = `${res.status} ${await res.text()}`;
        return (JSON.parse(last.slice(4)) as { total?: number }).total === 1 ? true : undefined;
      },
      60_000,
      'the planted click in the API',
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last answer: ${last}`);
    });

    await Promise.all(live.processes.map((p) => p.stop())); // flush what they would log on the way out
    const secrets = [PLANTED.ip, PLANTED.userId, PLANTED.bogusKey, live.apiKey];
    for (const p of live.processes) {
      expect(p.output().length, `${p.name} logged something`).toBeGreaterThan(0);
      for (const s of secrets) expect(p.output().includes(s), `${p.name}'s log holds ${s}`).toBe(false);
    }
    const logDir = path.join(live.config.stackDir, 'logs');
    for (const file of await readdir(logDir)) {
      const text = await readFile(path.join(logDir, file), 'utf8').catch(() => '');
      for (const s of secrets) expect(text.includes(s), `${file} holds ${s}`).toBe(false);
    }
  });
});
