/** The markdown of `npm run bench:redis-layout`: per round, A/B ratios, and what each layout cost. */
import os from 'node:os';
import { geomean, median } from '../support/stats.ts';
import type { Phase, PhaseSettings } from './measure.ts';

const f1 = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const f3 = (n: number) => n.toFixed(3);
// The bench's own calls, not the script's.
const OWN = new Set(['evalsha', 'info', 'script|load', 'scan', 'unlink']);
const sameOutcomes = (a: Phase, b: Phase) => JSON.stringify(sorted(a.outcomes)) === JSON.stringify(sorted(b.outcomes));
const sorted = (o: Record<string, number>) =>
  Object.fromEntries(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
const outcomeText = (o: Record<string, number>) =>
  Object.entries(sorted(o))
    .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
    .join(', ');

export function report(phases: Phase[], s: PhaseSettings, redisVersion: string): { text: string; agree: boolean } {
  const rounds = [...new Set(phases.map((p) => p.round))];
  const pairs = rounds.map((round) => ({
    round,
    today: phases.find((p) => p.round === round && p.layout === 'today'),
    folded: phases.find((p) => p.round === round && p.layout === 'folded'),
  }));
  const complete = pairs.filter((p): p is { round: number; today: Phase; folded: Phase } => !!p.today && !!p.folded);
  const agree = complete.every((p) => sameOutcomes(p.today, p.folded));
  const ratios = complete.map((p) => p.folded.cpuUs / p.today.cpuUs);
  const rows = complete.map(
    (p, i) =>
      `| ${p.round} | ${f1(p.today.cpuUs)} | ${f1(p.folded.cpuUs)} | ${f3(ratios[i] ?? 0)} | ${sameOutcomes(p.today, p.folded) ? 'yes' : '**no**'} |`,
  );
  const per = (name: 'today' | 'folded') => phases.filter((p) => p.layout === name);
  const layoutRow = (name: 'today' | 'folded') => {
    const ps = per(name);
    const commands = Object.entries(ps[0]?.commands ?? {}).filter(([c]) => !OWN.has(c));
    const calls = commands.reduce((sum, [, n]) => sum + n, 0);
    return `| ${name} | ${f1(median(ps.map((p) => p.cpuUs)))} | ${f1(calls)} (${commands.map(([c, n]) => `${c} ${n}`).join(', ')}) | ${Math.round(median(ps.map((p) => p.memoryBytes)))} |`;
  };
  const first = complete[0];
  const text = `# Redis key layouts: today's against the folded one

${new Date().toISOString()}, \`npm run bench:redis-layout\`, Redis ${redisVersion}, ${os.cpus()[0]?.model ?? 'unknown CPU'}
(${os.cpus().length} cores), load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end.

Each round sends ${s.clicks.toLocaleString('en-US')} clicks of the bench's workload (${s.users.toLocaleString('en-US')} users, 10,000 Zipf ads, 2% repeats,
1% of batches resent) through each layout's script, 200 per call and 4 calls in flight, under a
fresh key prefix; ${(s.rate * s.windowSeconds).toLocaleString('en-US')} clicks share a ${s.windowSeconds}-s window of event time (${s.rate.toLocaleString('en-US')} clicks/s).
The layouts alternate which goes first; keys stay until the end, so the keyspace grows under
both alike. CPU is Redis's main process (used_cpu_sys + used_cpu_user of INFO cpu); the
machine's other work adds to both sides of a round alike, so read the ratios.

| round | today µs/click | folded µs/click | folded / today | same outcomes |
|---|---|---|---|---|
${rows.join('\n')}

Geometric mean of folded / today: **${f3(geomean(ratios))}** over ${ratios.length} rounds (min ${f3(Math.min(...ratios))}, max ${f3(Math.max(...ratios))}).

| layout | median µs/click | commands per click (round 1) | memory per click, bytes |
|---|---|---|---|
${layoutRow('today')}
${layoutRow('folded')}

Outcomes of round 1: today ${first ? outcomeText(first.today.outcomes) : '-'}; folded ${first ? outcomeText(first.folded.outcomes) : '-'}.
${agree ? 'Both layouts decided every round alike.' : '**The layouts decided some rounds differently: the folded script is wrong.**'}
`;
  return { text, agree };
}
