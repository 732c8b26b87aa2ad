import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { duplicateKey, rateKey } from '../../src/dedup/keys.ts';
import { keySlot } from '../../src/dedup/key-slot.ts';
import { layout, userWindowKey } from './layouts.ts';
import type { Phase, PhaseSettings } from './measure.ts';
import { report } from './report.ts';

const run = promisify(execFile);
const bench = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'bench/redis-layout/redis-layout.ts', ...args]);
const PROCESS_STARTS_MS = 60_000;
const SETTINGS: PhaseSettings = {
  clicks: 10,
  rate: 5000,
  users: 100_000,
  windowSeconds: 60,
  verdictTtl: 3600,
  windowTtl: 3660,
  rateLimit: 5,
};

const phase = (layoutName: string, round: number, cpuUs: number, outcomes: Record<string, number>): Phase => ({
  layout: layoutName,
  round,
  clicks: 10,
  cpuUs,
  memoryBytes: 400,
  commands: { set: 3, get: 1, evalsha: 0.05 },
  outcomes,
  seconds: 1,
});

describe('bench:redis-layout', () => {
  it("keeps a user's window hash in the slot of today's claim and rate keys (Redis Cluster)", () => {
    const c = { click_id: 'c1', ad_id: 'ad-7', user_id: 'u:{odd}|1', ip: '10.1.0.1', window: 3 };
    const slot = keySlot(userWindowKey('p:', c.user_id, c.window));
    expect(keySlot(duplicateKey('p:', 'bench', c.window, c.user_id, c.ad_id))).toBe(slot);
    expect(keySlot(rateKey('p:', 'bench', c.window, c.user_id, c.ip))).toBe(slot);
    expect(layout('folded').call('p:', [c]).keys).toHaveLength(2);
    expect(layout('today').call('p:', [c]).keys).toHaveLength(3);
  });

  it('reports the ratio per round and their geometric mean, and says when the outcomes differ', () => {
    const same = { accepted: 9, duplicate: 1 };
    const agreeing = report(
      [
        phase('today', 1, 40, same),
        phase('folded', 1, 30, same),
        phase('folded', 2, 40, same),
        phase('today', 2, 40, same),
      ],
      SETTINGS,
      '7.0.15',
    );
    expect(agreeing.agree).toBe(true);
    expect(agreeing.text).toContain('| 1 | 40.0 | 30.0 | 0.750 | yes |');
    expect(agreeing.text).toContain('Geometric mean of folded / today: **0.866** over 2 rounds');
    expect(agreeing.text).toContain('| today | 40.0 | 4.0 (set 3, get 1) | 400 |');
    const differing = report(
      [phase('today', 1, 40, same), phase('folded', 1, 30, { accepted: 10 })],
      SETTINGS,
      '7.0.15',
    );
    expect(differing.agree).toBe(false);
    expect(differing.text).toContain('| 1 | 40.0 | 30.0 | 0.750 | **no** |');
  });

  it(
    'answers --help with its usage, and refuses a bad number in one line',
    async () => {
      expect((await bench('--help')).stdout).toMatch(/^usage: npm run bench:redis-layout/);
      const refused = await bench('--rounds', 'two').catch((err: { code: number; stderr: string }) => err);
      expect(refused).toMatchObject({
        code: 2,
        stderr: 'bench:redis-layout: --rounds must be a positive whole number, not "two" (--help)\n',
      });
    },
    PROCESS_STARTS_MS,
  );
});
