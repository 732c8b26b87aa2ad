import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keeps } from './job-under-load.ts';

const run = promisify(execFile);
// This Node with tsx's loader, not npx (npx alone took 3 s on an idle box); two process starts
// outlast the unit project's 5 s on a loaded one, so the test has its own timeout.
const bench = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'bench/state/state-bench.ts', ...args]);
const PROCESS_STARTS_MS = 60_000;

describe('bench:state', () => {
  it("rocksdb-defaults leaves out the job file's RocksDB settings, and only those", () => {
    const tuning = "SET 'state.backend.rocksdb.use-bloom-filter' = 'true'";
    const backend = "SET 'state.backend.type' = 'rocksdb'";
    expect(keeps('rocksdb', tuning)).toBe(true);
    expect(keeps('rocksdb-defaults', tuning)).toBe(false);
    expect(keeps('rocksdb-defaults', backend)).toBe(true);
    expect(keeps('hashmap', tuning)).toBe(true);
  });

  it(
    'answers --help with its usage, and refuses an unknown backend in one line',
    async () => {
      expect((await bench('--help')).stdout).toMatch(/^usage: npm run bench:state/);
      const refused = await bench('--backends', 'rocksdb,foo').catch((err: { code: number; stderr: string }) => err);
      expect(refused).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/^bench:state: unknown backend foo; use rocksdb/),
      });
    },
    PROCESS_STARTS_MS,
  );
});
