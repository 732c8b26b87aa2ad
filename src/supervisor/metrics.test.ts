import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { metricsApp, processMetrics } from './metrics.ts';
import type { Program } from './programs.ts';
import { Supervisor } from './supervisor.ts';

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

async function program(name: string, pid: number | undefined): Promise<Program> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tb-sup-metrics-'));
  dirs.push(dir);
  const pidFile = path.join(dir, `${name}.pid`);
  if (pid !== undefined) writeFileSync(pidFile, `${pid}\n`);
  return { name, pidFile, log: path.join(dir, `${name}.log`), start: async () => undefined };
}

describe("the supervisor's /metrics", () => {
  it('shows each watched process: up, restarts and resident memory, from what the supervisor knows', async () => {
    const programs = [await program('tollbooth-api', process.pid), await program('tollbooth-sink', undefined)];
    const supervisor = new Supervisor({
      // The options' config only names the scope of the state file, which this test never writes.
      config: { kafka: { topicPrefix: '' } } as Config,
      programs,
      stateFile: path.join(tmpdir(), 'unused.json'),
      log: logger,
      jobs: { config: {} as Config, lastJobManagerPid: undefined, pending: false, notBefore: 0 },
    });
    const app = metricsApp(
      processMetrics(
        () => supervisor.reports(),
        (pid) => (pid === process.pid ? 4096 : undefined),
      ),
    );
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    await app.close();
    expect(res.statusCode).toBe(200);
    const lines = res.body.split('\n').filter((l) => l.startsWith('tollbooth_'));
    expect(lines).toEqual([
      'tollbooth_process_up{process="tollbooth-api"} 1',
      'tollbooth_process_up{process="tollbooth-sink"} 0',
      'tollbooth_process_restarts{process="tollbooth-api"} 0',
      'tollbooth_process_restarts{process="tollbooth-sink"} 0',
      'tollbooth_process_resident_bytes{process="tollbooth-api"} 4096',
    ]);
  });
});
