/**
 * The ClickHouse 18.16 crashes that Tollbooth avoids (docs/stack.md): the reproduction, on a
 * throwaway server of its own, still crashes the binary the stack installs. If a new ClickHouse
 * stops crashing here, the first test fails: update docs/stack.md.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const repro = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'bench/clickhouse-crash/repro.ts', ...args], { cwd: root });

describe('ClickHouse 18.16 crash reproduction', () => {
  it('an INSERT into a table that is being created crashes the server', async () => {
    const { stdout } = await repro('--race', 'create-insert', '--seconds', '60');
    expect(stdout.trim()).toMatch(
      /^create-insert: ClickHouse crashed after [\d.]+ s \(\d+ statements\): Segmentation fault \(11\) in DB::BackgroundProcessingPoolTaskInfo::wake\(\)/,
    );
  });

  it('the DROP DATABASE race ends with one line either way', async () => {
    const { stdout } = await repro('--race', 'drop-create', '--seconds', '20');
    expect(stdout.trim()).toMatch(
      /^drop-create: (ClickHouse crashed after .* in \S+|no crash in 20 s \(\d+ statements\))$/,
    );
  });

  it('answers --help and refuses an unknown race in one line', async () => {
    expect((await repro('--help')).stdout).toMatch(/^usage: npx tsx bench\/clickhouse-crash\/repro.ts/);
    await expect(repro('--race', 'nope')).rejects.toMatchObject({
      stderr: 'repro: --race must be one of create-insert, drop-create\n',
    });
  });
});
