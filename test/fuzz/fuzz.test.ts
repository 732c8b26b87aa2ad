/**
 * Fuzzing: schemathesis generates requests from each service's OpenAPI document (valid ones and
 * hostile ones) against a running ingest and stats API. Clean means no 5xx and no response
 * outside the spec. TOLLBOOTH_FUZZ_SECONDS sets the time per service (60 by default, as CI runs it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.ts';
import { ensureSchemathesis, fuzz } from './schemathesis.ts';

const config = loadConfig();
// The fuzzer is not what the rate limits are for (their 429 is tested in src/api/rate-limit.test.ts).
const UNLIMITED = {
  TOLLBOOTH_API_RATE_PER_ADDRESS: '100000',
  TOLLBOOTH_API_BURST_PER_ADDRESS: '100000',
  TOLLBOOTH_API_RATE_PER_KEY: '100000',
  TOLLBOOTH_API_BURST_PER_KEY: '100000',
};

let st: string;
let live: LiveStack;
beforeAll(async () => {
  st = await ensureSchemathesis(config.repoRoot);
  live = await startLiveStack('fuzz', UNLIMITED);
});
afterAll(async () => {
  await live?.close();
});

/** The run's report, kept in test-artifacts/ (git-ignored) for whoever wants to read it. */
async function keep(name: string, output: string): Promise<void> {
  const dir = path.join(config.repoRoot, 'test-artifacts');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `fuzz-${name}.txt`), output);
}

// The run's own time plus the coverage phase's start and the spec download.
const timeout = (config.fuzz.seconds + 120) * 1000;

describe('schemathesis', () => {
  it(
    'finds nothing in the ingest',
    async () => {
      const run = await fuzz(st, `${live.ingestUrl}/openapi.json`, config.fuzz.seconds);
      await keep('ingest', run.output);
      expect(run.code, run.output.slice(-6000)).toBe(0);
    },
    timeout,
  );

  it(
    'finds nothing in the stats API',
    async () => {
      const run = await fuzz(st, `${live.apiUrl}/docs/openapi.json`, config.fuzz.seconds, [
        '--header',
        `Authorization: Bearer ${live.apiKey}`,
      ]);
      await keep('api', run.output);
      expect(run.code, run.output.slice(-6000)).toBe(0);
    },
    timeout,
  );
});
