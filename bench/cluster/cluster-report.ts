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
  /** Counted final: in closed windows plus late. */
  counted: number;
  /** Of those, counted late (after their window had closed). */
  late?: number;
  /** Every click accepted in the run, its warm-up included: what the data folders hold. */
  clicks: number;
  /** CPU µs per service over `elapsed`. */
  cpu: Map<string, number>;
  /** CPU µs per service over 10 idle seconds before the load. */
  idle: Map<string, number>;
  /** Memory per service at the end (bytes). */
  memory: Map<string, number>;
  /** Data folder bytes per storage service at the end. */
  disk: Map<string, number>;
}

const roleOf = (service: string) => service.replace(/-\d+$/, '');

/** Sums a per-service figure per role (`micros` holds whatever the map holds: µs or bytes). */
function byRole(cpu: Map<string, number>): Map<string, { micros: number; nodes: number }> {
  const roles = new Map<string, { micros: number; nodes: number }>();
  for (const [service, micros] of cpu) {
    const r = roles.get(roleOf(service)) ?? { micros: 0, nodes: 0 };
    roles.set(roleOf(service), { micros: r.micros + micros, nodes: r.nodes + 1 });
  }
  return roles;
}

type Measured = 'cpu' | 'idle' | 'memory' | 'disk';
type SavedRun = Omit<TopologyRun, Measured | 'clicks'> &
  Partial<Record<Measured, Record<string, number>>> & { clicks?: number };

/** The runs of a saved report (its .json), to render its tables again. */
export function runsFromJson(json: { runs: SavedRun[] }): TopologyRun[] {
  const map = (o: Record<string, number> | undefined) => new Map(Object.entries(o ?? {}));
  return json.runs.map((r) => ({
    ...r,
    clicks: r.clicks ?? r.accepted,
    cpu: map(r.cpu),
    idle: map(r.idle),
    memory: map(r.memory),
    disk: map(r.disk),
  }));
}

/** Memory (MB, the role's nodes summed) and data bytes per click of each role, one node / cluster. */
function footprint(roles: string[], one: TopologyRun | undefined, cluster: TopologyRun | undefined): string[] {
  const mb = (run: TopologyRun | undefined, role: string) => {
    const r = run === undefined ? undefined : byRole(run.memory).get(role);
    return r === undefined ? '-' : (r.micros / 2 ** 20).toFixed(0);
  };
  const perClick = (run: TopologyRun | undefined, role: string) => {
    const r = run === undefined ? undefined : byRole(run.disk).get(role);
    return r === undefined || run === undefined ? '-' : (r.micros / run.clicks).toFixed(0);
  };
  return [
    'Memory in use at the end of the run (the containers’ cgroups, page cache included) and the data',
    'folders’ bytes per accepted click (every node of the role summed: replicas included).',
    '',
    '| role | memory MB, one node / cluster | data bytes per click, one node / cluster |',
    '|---|---|---|',
    ...roles.map(
      (role) =>
        `| ${role} | ${mb(one, role)} / ${mb(cluster, role)} | ${perClick(one, role)} / ${perClick(cluster, role)} |`,
    ),
    '',
  ];
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
        `- ${r.name}: ${r.accepted} accepted, ${r.counted} counted (${r.counted === r.accepted ? 'exact' : 'NOT exact'}; ${r.late ?? '?'} of them late), final after ${r.elapsed.toFixed(0)} s`,
    ),
    '',
    'Each role is charged all its CPU (µs per click) and, apart, the CPU it spends beyond its idle rate',
    '(measured over 10 idle seconds before the load): the work the clicks cause, what scales with the rate.',
    '',
    '| role | nodes (1 / cluster) | µs per click, one node / cluster | beyond idle, one node / cluster | cluster / one node, beyond idle | idle ms of CPU per s, one node / cluster |',
    '|---|---|---|---|---|---|',
  ];
  // CPU beyond the role's idle rate over the run, per click (never below 0: idle is sampled).
  const marginal = (run: TopologyRun | undefined, role: string) => {
    const all = perClick(run, role);
    const idle = idlePerSec(run, role);
    if (run === undefined || all === undefined || idle === undefined) return undefined;
    return Math.max(0, all.us - (idle * 1000 * run.elapsed) / run.accepted);
  };
  const totals = { one: 0, cluster: 0, oneBeyond: 0, clusterBeyond: 0 };
  for (const role of roles) {
    const [a, b] = [perClick(one, role), perClick(cluster, role)];
    const [ma, mb] = [marginal(one, role), marginal(cluster, role)];
    totals.one += a?.us ?? 0;
    totals.cluster += b?.us ?? 0;
    totals.oneBeyond += ma ?? 0;
    totals.clusterBeyond += mb ?? 0;
    const ratio = ma !== undefined && mb !== undefined && ma > 0 ? mb / ma : undefined;
    lines.push(
      `| ${role} | ${a?.nodes ?? 0} / ${b?.nodes ?? 0} | ${fmt(a?.us)} / ${fmt(b?.us)} | ${fmt(ma)} / ${fmt(mb)} | ${fmt(ratio, 2)} | ${fmt(idlePerSec(one, role))} / ${fmt(idlePerSec(cluster, role))} |`,
    );
  }
  lines.push(
    `| **all** | | **${fmt(totals.one)} / ${fmt(totals.cluster)}** | **${fmt(totals.oneBeyond)} / ${fmt(totals.clusterBeyond)}** | **${fmt(totals.clusterBeyond / totals.oneBeyond, 2)}** | |`,
    '',
  );
  lines.push(...footprint(roles, one, cluster));
  const json = runs.map((r) => ({
    ...r,
    cpu: Object.fromEntries(r.cpu),
    idle: Object.fromEntries(r.idle),
    memory: Object.fromEntries(r.memory),
    disk: Object.fromEntries(r.disk),
  }));
  return { md: lines.join('\n'), json: { cpuModel, runs: json } };
}
