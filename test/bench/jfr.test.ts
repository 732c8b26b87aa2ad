/**
 * `npm run bench -- --profile DIR` records the stack's Flink TaskManager (bench/measure/jfr.ts):
 * here against the real one, started by the integration tests' global setup.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { jdkBin, recordTaskManager } from '../../bench/measure/jfr.ts';
import { stackServices } from '../../bench/measure/cpu-use.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'tollbooth-jfr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TaskManager recording', () => {
  it('records the running TaskManager, summarizes it, and leaves no recording behind', async () => {
    const services = stackServices(loadConfig().stackDir);
    const tm = services.find((s) => s.name.startsWith('flink--taskexecutor'));
    expect(tm).toBeDefined();
    const recording = await recordTaskManager(services, dir, 120);
    await sleep(3000);
    const summary = await recording.stop(5);
    expect(existsSync(recording.file) && statSync(recording.file).size).toBeGreaterThan(0);
    expect(summary).toMatch(/^\d+ execution samples of threads running Java code/);
    expect(summary).toContain('| thread (Flink: its chained operators) | samples | share |');
    const { stdout } = await run(path.join(jdkBin(tm?.pid ?? 0), 'jcmd'), [String(tm?.pid), 'JFR.check']);
    expect(stdout).not.toContain('tollbooth-bench');
  });

  it('the summary command answers --help, and asks for a recording in one line', async () => {
    const summary = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'bench/measure/jfr-summary.ts', ...args]);
    expect((await summary('--help')).stdout).toMatch(/^usage: npx tsx bench\/measure\/jfr-summary.ts FILE.jfr/);
    const refused = await summary().catch((err: { code: number; stderr: string }) => err);
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^jfr-summary: name a recording \(usage: [^\n]*\n$/),
    });
  });

  it('says what to do when no TaskManager runs', async () => {
    await expect(recordTaskManager([], dir, 10)).rejects.toThrow(
      'no Flink TaskManager is running: start the stack (tollbooth services up)',
    );
  });
});
