/**
 * `npm run bench:redis-layout` against the real Redis of the integration tests' global setup: a
 * short run decides the same clicks alike on both layouts, writes its table, and leaves no key.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/shared/clients.ts';
import { loadConfig } from '../../src/shared/config.ts';

const run = promisify(execFile);
const out = mkdtempSync(path.join(os.tmpdir(), 'tollbooth-redis-layout-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('bench:redis-layout', () => {
  it('runs both layouts on the same clicks, agrees on every outcome, and removes its keys', async () => {
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      'bench/redis-layout/redis-layout.ts',
      ...['--clicks', '4000', '--rounds', '2', '--rate', '100', '--users', '100', '--out', out],
    ]);
    const [file] = readdirSync(out);
    expect(file).toMatch(/^redis-layout-\d{4}-\d\d-\d\dT\d{4}\.md$/);
    const text = readFileSync(path.join(out, file ?? ''), 'utf8');
    expect(stdout).toContain(text);
    expect(text).toMatch(/\| 2 \| [\d.,]+ \| [\d.,]+ \| [\d.]+ \| yes \|/);
    expect(text).toContain('Both layouts decided every round alike.');
    // 100 users, 6,000 clicks per window: users come back within windows and many hit the rate limit.
    expect(text).toMatch(/Outcomes of round 1: today accepted [\d,]+, duplicate [\d,]+, rate_limited [\d,]+/);
    const redis = createRedis(loadConfig());
    try {
      const [, left] = await redis.scan('0', 'MATCH', 'test_rlayout_*', 'COUNT', 100_000);
      expect(left).toEqual([]);
    } finally {
      redis.disconnect();
    }
  }, 120_000);
});
