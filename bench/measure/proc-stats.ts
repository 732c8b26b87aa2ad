/**
 * CPU time and peak memory of processes, from /proc: the figure that holds from machine to
 * machine is CPU µs per click, so every process of a system is read before and after its run.
 * A process counts with its descendants (PostgreSQL forks a backend per connection; Flink's
 * scripts start the JVM as a child), and with the children it already reaped (cutime, cstime).
 */
import { readFileSync, readdirSync } from 'node:fs';

// Linux reports CPU in clock ticks of 1/100 s (USER_HZ) on every platform Node runs on here.
const TICK_US = 10_000;

/** utime, stime, cutime, cstime and ppid of one process, or undefined if it is gone. */
function stat(pid: number): { cpuUs: number; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(fields[i - 3]);
    return { cpuUs: (n(14) + n(15) + n(16) + n(17)) * TICK_US, ppid: n(4) };
  } catch {
    return undefined;
  }
}

/**
 * The pid and every live descendant of it, except the subtrees of `apart` (processes measured on
 * their own: a supervisor's restarted service is its child, and must not count twice).
 */
export function processTree(root: number, apart: ReadonlySet<number> = new Set()): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s === undefined) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(entry));
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) if (!apart.has(c)) walk(c);
  };
  walk(root);
  return out;
}

/** CPU µs used so far by a process and its descendants (live, or reaped by one of them). */
export function treeCpuUs(root: number, apart: ReadonlySet<number> = new Set()): number {
  return processTree(root, apart).reduce((sum, pid) => sum + (stat(pid)?.cpuUs ?? 0), 0);
}

function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Peak resident memory (VmHWM) in MB of a process and its live descendants, summed. */
export function treePeakMb(root: number, apart: ReadonlySet<number> = new Set()): number {
  return processTree(root, apart).reduce((sum, pid) => sum + statusKb(pid, 'VmHWM'), 0) / 1024;
}

/** A named group of processes whose CPU is read before and after a phase. */
export interface Watched {
  name: string;
  pid: number;
  /** Part of the system under test (true), or the bench's own tooling such as the load generator. */
  system: boolean;
  /** Shared with other users of the machine: its idle use is measured and shown apart. */
  shared: boolean;
}

export interface CpuReading {
  atMs: number;
  cpuUs: Map<number, number>;
}

/** CPU of each watched process; a process that is gone (a service restarted) has no entry. */
export function readCpu(watched: readonly Watched[]): CpuReading {
  const apart = new Set(watched.map((w) => w.pid));
  return {
    atMs: Date.now(),
    cpuUs: new Map(watched.filter((w) => isAlive(w.pid)).map((w) => [w.pid, treeCpuUs(w.pid, apart)])),
  };
}

export function isAlive(pid: number): boolean {
  return stat(pid) !== undefined;
}
