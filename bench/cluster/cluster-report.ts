/**
 * The cluster bench's table: µs of CPU per accepted click for each role (a role's nodes summed:
 * kafka-1..3 are `kafka`), one node against the cluster side by side, and each role's idle CPU.
 */
export interface TopologyRun {
  name: string;
  rate: number;
  seconds: number;
  /** From the load's start until every click was counted final. */
  elapsed: number;
  accepted: number;
  counted: number;
  /** CPU µs per service over `elapsed`. */
  cpu: Map<string, number>;
  /** CPU µs per service over 10 idle seconds before the load. */
  idle: Map<string, number>;
}

const roleOf = (service: string) => service.replace(/-\d+$/, '');

function byRole(cpu: Map<string, number>): Map<string, { micros: number; nodes: number }> {
  const roles = new Map<string, { micros: number; nodes: number }>();
  for (const [service, micros] of cpu) {
    const r = roles.get(roleOf(service)) ?? { micros: 0, nodes: 0 };
    roles.set(roleOf(service), { micros: r.micros + micros, nodes: r.nodes + 1 });
  }
  return roles;
}

export function clusterReport(runs: TopologyRun[], cpuModel: string): { md: string; json: unknown } {
  const [one, cluster] = [runs.find((r) => r.name === 'one node'), runs.find((r) => r.name === 'cluster')];
  const roles = [...new Set(runs.flatMap((r) => [...byRole(r.cpu).keys()]))].sort();
  const perClick = (run: TopologyRun | undefined, role: string) => {
    const r = run === undefined ? undefined : byRole(run.cpu).get(role);
    return r === undefined || run === undefined ? undefined : { us: r.micros / run.accepted, nodes: r.nodes };
  };
  const idlePerSec = (run: TopologyRun | undefined, role: string) =>
    run === undefined ? undefined : (byRole(run.idle).get(role)?.micros ?? 0) / 10 / 1000;
  const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));
  const lines = [
    `# Cluster bench, ${new Date().toISOString().slice(0, 16)} UTC`,
    '',
    `CPU: ${cpuModel}, ${runs[0]?.rate ?? 0} clicks/s for ${runs[0]?.seconds ?? 0} s per run; µs of CPU per accepted click`,
    `from the load's start until every click was counted final (container cgroups, all processes).`,
    '',
    ...runs.map(
      (r) =>
        `- ${r.name}: ${r.accepted} accepted, ${r.counted} counted (${r.counted === r.accepted ? 'exact' : 'NOT exact'}), final after ${r.elapsed.toFixed(0)} s`,
    ),
    '',
    '| role | nodes (1 / cluster) | µs per click, one node | µs per click, cluster | cluster / one node | idle ms of CPU per s, one node / cluster |',
    '|---|---|---|---|---|---|',
  ];
  let total1 = 0;
  let totalC = 0;
  for (const role of roles) {
    const a = perClick(one, role);
    const b = perClick(cluster, role);
    total1 += a?.us ?? 0;
    totalC += b?.us ?? 0;
    const ratio = a !== undefined && b !== undefined && a.us > 0 ? b.us / a.us : undefined;
    lines.push(
      `| ${role} | ${a?.nodes ?? 0} / ${b?.nodes ?? 0} | ${fmt(a?.us)} | ${fmt(b?.us)} | ${fmt(ratio, 2)} | ${fmt(idlePerSec(one, role))} / ${fmt(idlePerSec(cluster, role))} |`,
    );
  }
  lines.push(`| **all** | | **${fmt(total1)}** | **${fmt(totalC)}** | **${fmt(totalC / total1, 2)}** | |`, '');
  const json = runs.map((r) => ({ ...r, cpu: Object.fromEntries(r.cpu), idle: Object.fromEntries(r.idle) }));
  return { md: lines.join('\n'), json: { cpuModel, runs: json } };
}
