/**
 * CPU per click of each watched process over a phase, with the background use of shared
 * services (other people's tests on the same machine) measured just before and shown apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive, readCpu, treePeakMb, type CpuReading, type Watched } from './proc-stats.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface CpuRow {
  name: string;
  system: boolean;
  cpuUsPerClick: number;
  /** Minus what the process used at the same rate while the bench sent nothing. */
  netUsPerClick: number;
  /** Share of one core over the phase. */
  cores: number;
  peakMb: number;
  /** The process was gone at the end (a shared service restarted by someone): not measured. */
  gone?: boolean;
}

/** The services of the stack folder, one per pid file (names deduplicated by pid). */
export function stackServices(stackDir: string): Watched[] {
  const runDir = path.join(stackDir, 'run');
  const byPid = new Map<number, string>();
  for (const file of readdirSync(runDir)
    .filter((f) => f.endsWith('.pid'))
    .sort()) {
    const pid = Number(readFileSync(path.join(runDir, file), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && !byPid.has(pid)) byPid.set(pid, file.replace(/\.pid$/, ''));
  }
  return [...byPid].map(([pid, name]) => ({ name, pid, system: true, shared: true }));
}

/** Reads CPU over `ms` with nothing sent: the background rate of each process, in µs per ms. */
export async function backgroundRates(watched: readonly Watched[], ms: number): Promise<Map<number, number>> {
  const before = readCpu(watched);
  await sleep(ms);
  const after = readCpu(watched);
  const span = after.atMs - before.atMs;
  return new Map(watched.map((w) => [w.pid, ((after.cpuUs.get(w.pid) ?? 0) - (before.cpuUs.get(w.pid) ?? 0)) / span]));
}

export function cpuRows(
  watched: readonly Watched[],
  before: CpuReading,
  after: CpuReading,
  clicks: number,
  background: Map<number, number>,
): CpuRow[] {
  const span = after.atMs - before.atMs;
  const apart = new Set(watched.map((w) => w.pid));
  return watched.map((w) => {
    const end = after.cpuUs.get(w.pid);
    if (end === undefined)
      return {
        name: w.name,
        system: w.system,
        cpuUsPerClick: Number.NaN,
        netUsPerClick: Number.NaN,
        cores: Number.NaN,
        peakMb: Number.NaN,
        gone: true,
      };
    const used = end - (before.cpuUs.get(w.pid) ?? 0);
    const idle = w.shared ? (background.get(w.pid) ?? 0) * span : 0;
    return {
      name: w.name,
      system: w.system,
      cpuUsPerClick: used / Math.max(1, clicks),
      netUsPerClick: Math.max(0, used - idle) / Math.max(1, clicks),
      cores: used / 1000 / span,
      peakMb: treePeakMb(w.pid, apart),
    };
  });
}

/** A row for a process that measured itself (the load generator), shown but never counted. */
export function selfReportedRow(name: string, cpuUs: number, peakMb: number, clicks: number, spanMs: number): CpuRow {
  const perClick = cpuUs / Math.max(1, clicks);
  return {
    name,
    system: false,
    cpuUsPerClick: perClick,
    netUsPerClick: perClick,
    cores: cpuUs / 1000 / Math.max(1, spanMs),
    peakMb,
  };
}

/** The system's total (the bench's own tooling left out). */
export function systemTotal(rows: readonly CpuRow[]): { cpuUsPerClick: number; netUsPerClick: number } {
  const sys = rows.filter((r) => r.system && r.gone !== true);
  return {
    cpuUsPerClick: sys.reduce((s, r) => s + r.cpuUsPerClick, 0),
    netUsPerClick: sys.reduce((s, r) => s + r.netUsPerClick, 0),
  };
}
