import { describe, expect, it } from 'vitest';
import type { SystemResult } from '../result.ts';
import { resolveRef } from './checkout.ts';
import { compareMarkdown, summarise } from './compare-report.ts';
import type { CompareRun, Side } from './compare.ts';

const sides: Side[] = [
  { name: 'A', label: 'abc', root: '/a' },
  { name: 'B', label: 'HEAD~1 = def', root: '/b' },
];

function result(cpu: number, ingest: number, extra: Partial<SystemResult> = {}): SystemResult {
  return {
    system: 'tollbooth',
    cps: 1000,
    countedCps: 900,
    exact: true,
    exactDetail: '',
    clicksTaken: 30_000,
    clicksCounted: 27_000,
    seconds: 30,
    batchLatencyMs: { p50: 1, p99: 2 },
    failures: 0,
    verdicts: {},
    cpu: [
      { name: 'tollbooth ingest', system: true, cpuUsPerClick: ingest, netUsPerClick: ingest, cores: 1, peakMb: 1 },
      { name: 'load generator', system: false, cpuUsPerClick: 99, netUsPerClick: 99, cores: 1, peakMb: 1 },
    ],
    cpuUsPerClick: cpu,
    netCpuUsPerClick: cpu,
    reads: [],
    ...extra,
  };
}

describe('the --compare report', () => {
  it('takes medians per side and leaves void and inexact runs out of them', () => {
    const runs: CompareRun[] = [
      { round: 1, side: 'A', result: result(100, 30) },
      { round: 1, side: 'B', result: result(200, 60) },
      { round: 2, side: 'B', result: result(180, 50) },
      { round: 2, side: 'A', result: result(90, 20) },
      { round: 3, side: 'A', result: result(10, 1, { void: 'void: during the run clickhouse restarted' }) },
      { round: 3, side: 'B', result: result(10, 1, { exact: false }) },
    ];
    const s = summarise(runs, sides);
    expect(s.cpuUsPerClick).toEqual({ A: 95, B: 190 });
    expect(s.cpuRatio).toBe(0.5);
    expect(s.valid).toBe(false);
    const md = compareMarkdown(runs, sides, s, ['# t']);
    expect(md).toContain('| tollbooth ingest | 25.0 | 55.0 | 0.45 |');
    expect(md).toContain('| **all counted** | **95.0** | **190.0** | **0.50** |');
    expect(md).not.toContain('load generator |');
    expect(md).toContain('void: during the run clickhouse restarted');
  });

  it('says what to do when REF names no commit', async () => {
    await expect(resolveRef(process.cwd(), 'no-such-ref-xyz')).rejects.toThrow(
      "--compare: 'no-such-ref-xyz' names no commit here; give a commit, branch or tag (e.g. HEAD~1)",
    );
  });
});
