/** The run's markdown table and its one-line JSON summary. */
import type { Freshness, RunResult, SystemResult } from './result.ts';

const int = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US');
const ms = (d: Freshness | undefined) =>
  d === undefined ? '–' : `${int(d.p50)} / ${int(d.p99)} (${d.samples}${d.never > 0 ? `; ${d.never} never` : ''})`;
const ratio = (r: SystemResult, t: SystemResult | undefined) =>
  t === undefined || t.cps === 0 ? '–' : `${(r.cps / t.cps).toFixed(2)}×`;

function readGrowth(r: SystemResult): string {
  const first = r.reads[0];
  const last = r.reads.at(-1);
  if (first === undefined || last === undefined) return '–';
  return `top ${int(first.topMs)} → ${int(last.topMs)} ms, ad ${int(first.adMs)} → ${int(last.adMs)} ms (${int(first.clicksSoFar)} → ${int(last.clicksSoFar)} clicks)`;
}

export function markdown(run: RunResult): string {
  const t = run.systems.find((s) => s.system === 'tollbooth');
  const lines = [
    `# Bench ${run.date}`,
    '',
    `${run.machine}; options: \`${JSON.stringify(run.options)}\`. Made by \`npm run bench\` (see docs/bench.md for what each figure means).`,
    '',
    '| system | clicks/s taken | × Tollbooth | counted/s | final/s | exact | CPU µs/click (net of idle) | batch p50/p99 ms | visible p50/p99 ms (n) | window end → final p50/p99 ms (n) | read latency as data grows |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...run.systems.map(
      (r) =>
        `| ${r.system} | ${int(r.cps)} | ${ratio(r, t)} | ${int(r.countedCps)} | ${int(r.finalCps)} | ${r.exact ? 'yes' : '**no**'} | ${int(r.cpuUsPerClick)} (${int(r.netCpuUsPerClick)}) | ${int(r.batchLatencyMs.p50)} / ${int(r.batchLatencyMs.p99)} | ${ms(r.visibleMs)} | ${ms(r.finalMs)} | ${readGrowth(r)} |`,
    ),
    '',
    ...run.systems.flatMap((r) => (r.void === undefined ? [] : [`**${r.system}: this run is ${r.void}.**`, ''])),
    '## Exactness',
    '',
    ...run.systems.map((r) => `- ${r.system}: ${r.exact ? 'exact' : 'NOT exact'}: ${r.exactDetail}`),
    '',
    '## CPU per click and peak memory, per process',
    '',
    'CPU from /proc (utime+stime, with descendants); "net" subtracts what the process used at the same rate in 5 s without load just before (other people\'s work on the shared services). Peak memory is VmHWM (for shared services: since they started).',
    '',
    ...run.systems.flatMap((r) => [
      `### ${r.system} (${int(r.clicksTaken)} clicks in ${r.seconds.toFixed(1)} s; verdicts ${JSON.stringify(r.verdicts)}; ${r.failures} non-200 replies)`,
      '',
      '| process | CPU µs/click | net µs/click | cores busy | peak MB |',
      '|---|---|---|---|---|',
      ...r.cpu.map((c) =>
        c.gone === true
          ? `| ${c.name} | gone by the end of the run (restarted by someone else): not in the total | | | |`
          : `| ${c.name}${c.system ? '' : ' (not counted)'} | ${c.cpuUsPerClick.toFixed(1)} | ${c.netUsPerClick.toFixed(1)} | ${c.cores.toFixed(2)} | ${int(c.peakMb)} |`,
      ),
      `| **system total** | **${r.cpuUsPerClick.toFixed(1)}** | **${r.netCpuUsPerClick.toFixed(1)}** | | |`,
      '',
      ...(r.redisCommandsPerClick === undefined
        ? []
        : [`Redis commands per click (INFO commandstats): ${JSON.stringify(r.redisCommandsPerClick)}`, '']),
      'Read latency samples (s since start: clicks so far, top ms, one ad ms): ' +
        r.reads.map((s) => `${s.atS}s: ${int(s.clicksSoFar)}, ${int(s.topMs)}, ${int(s.adMs)}`).join('; '),
      '',
    ]),
  ];
  return lines.join('\n');
}

/** The summary the issue asks for on the last line with --json. */
export function summaryLine(run: RunResult): Record<string, unknown> {
  const by = (name: string) => run.systems.find((s) => s.system === name);
  const t = by('tollbooth');
  const round = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? null : Math.round(n));
  return {
    date: run.date,
    tollbooth_cps: round(t?.cps),
    tollbooth_final_cps: round(t?.finalCps),
    postgres_cps: round(by('pg-batched')?.cps),
    postgres_upsert_cps: round(by('pg-upsert')?.cps),
    clickhouse_raw_cps: round(by('clickhouse-raw')?.cps),
    exact: t?.exact ?? null,
    void: t?.void ?? null,
    baselines_exact: Object.fromEntries(
      run.systems.filter((s) => s.system !== 'tollbooth').map((s) => [s.system, s.exact]),
    ),
    p99_visible_ms: round(t?.visibleMs?.p99),
    p99_final_ms: round(t?.finalMs?.p99),
    cpu_us_per_click: t === undefined ? null : Number(t.cpuUsPerClick.toFixed(1)),
    net_cpu_us_per_click: t === undefined ? null : Number(t.netCpuUsPerClick.toFixed(1)),
  };
}
