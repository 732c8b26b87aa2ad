import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { keeps } from './job-under-load.ts';

const run = promisify(execFile);
const bench = (...args: string[]) => run('npx', ['tsx', 'bench/state/state-bench.ts', ...args]);

describe('bench:state', () => {
  it("rocksdb-defaults leaves out the job file's RocksDB settings, and only those", () => {
    const tuning = "SET 'state.backend.rocksdb.use-bloom-filter' = 'true'";
    const backend = "SET 'state.backend.type' = 'rocksdb'";
    expect(keeps('rocksdb', tuning)).toBe(true);
    expect(keeps('rocksdb-defaults', tuning)).toBe(false);
    expect(keeps('rocksdb-defaults', backend)).toBe(true);
    expect(keeps('hashmap', tuning)).toBe(true);
  });

  it('answers --help with its usage, and refuses an unknown backend in one line', async () => {
    expect((await bench('--help')).stdout).toMatch(/^usage: npm run bench:state/);
    const refused = await bench('--backends', 'rocksdb,foo').catch((err: { code: number; stderr: string }) => err);
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^bench:state: unknown backend foo; use rocksdb/),
    });
  });
});
