/** The `--compare` report: each side's runs, then per process the medians and their ratio. */
import { median } from '../support/stats.ts';
import type { CompareRun, Side } from './compare.ts';

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}` : '–';

export interface CompareSummary {
  /** Median CPU µs per click of the counted processes, per side. */
  cpuUsPerClick: Record<string, number>;
  cps: Record<string, number>;
  /** A's median CPU per click over B's. */
  cpuRatio: number;
  /** Every run exact and none void. */
  valid: boolean;
}

/** Only runs that are exact and not void count in a median. */
const usable = (runs: readonly CompareRun[], side: string) =>
  runs.filter((r) => r.side === side && r.result.exact && r.result.void === undefined);

export function summarise(runs: readonly CompareRun[], sides: readonly Side[]): CompareSummary {
  const [a, b] = sides.map((s) => s.name);
  const cpu = Object.fromEntries(
    sides.map((s) => [s.name, median(usable(runs, s.name).map((r) => r.result.cpuUsPerClick))]),
  );
  const cps = Object.fromEntries(sides.map((s) => [s.name, median(usable(runs, s.name).map((r) => r.result.cps))]));
  return {
    cpuUsPerClick: cpu,
    cps,
    cpuRatio: (cpu[a ?? ''] ?? Number.NaN) / (cpu[b ?? ''] ?? Number.NaN),
    valid: runs.every((r) => r.result.exact && r.result.void === undefined),
  };
}

export function compareMarkdown(
  runs: readonly CompareRun[],
  sides: readonly Side[],
  summary: CompareSummary,
  header: string[],
): string {
  const [a, b] = sides.map((s) => s.name) as [string, string];
  const names = [...new Set(runs.flatMap((r) => r.result.cpu.filter((c) => c.system).map((c) => c.name)))];
  const perProcess = (side: string, name: string) =>
    median(
      usable(runs, side).map(
        (r) => r.result.cpu.find((c) => c.name === name && c.gone !== true)?.cpuUsPerClick ?? Number.NaN,
      ),
    );
  return [
    ...header,
    '',
    ...sides.map((s) => `- **${s.name}**: ${s.label} (${s.root})`),
    '',
    '| round | side | clicks/s taken | exact | CPU µs/click (net of idle) | visible p99 ms | note |',
    '|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.round} | ${r.side} | ${Math.round(r.result.cps)} | ${r.result.exact ? 'yes' : '**no**'} | ${fixed(r.result.cpuUsPerClick)} (${fixed(r.result.netCpuUsPerClick)}) | ${r.result.visibleMs === undefined ? '–' : Math.round(r.result.visibleMs.p99)} | ${r.result.void ?? ''} |`,
    ),
    '',
    `Medians over the exact, non-void runs. ${summary.valid ? '' : '**Some runs were not exact or were void: they are left out of the medians.**'}`,
    '',
    `| process | ${a} µs/click | ${b} µs/click | ${a} / ${b} |`,
    '|---|---|---|---|',
    ...names.map((n) => {
      const [ours, theirs] = [perProcess(a, n), perProcess(b, n)];
      return `| ${n} | ${fixed(ours)} | ${fixed(theirs)} | ${ratio(ours, theirs)} |`;
    }),
    `| **all counted** | **${fixed(summary.cpuUsPerClick[a] ?? Number.NaN)}** | **${fixed(summary.cpuUsPerClick[b] ?? Number.NaN)}** | **${fixed(summary.cpuRatio, 2)}** |`,
    `| clicks/s taken | ${Math.round(summary.cps[a] ?? Number.NaN)} | ${Math.round(summary.cps[b] ?? Number.NaN)} | ${ratio(summary.cps[a] ?? Number.NaN, summary.cps[b] ?? Number.NaN)} |`,
    '',
  ].join('\n');
}
