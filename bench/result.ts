/** What the bench records per system, and for the whole run. */
import type { CpuRow } from './measure/cpu-use.ts';
import type { ReadSample } from './measure/read-latency.ts';
import type { SystemName } from './options.ts';

export interface Freshness {
  p50: number;
  p99: number;
  samples: number;
  never: number;
}

export interface SystemResult {
  system: SystemName;
  /** Clicks per second the front answered 200 for (resends included). */
  cps: number;
  /** Clicks per second that the system counts (accepted verdicts; every distinct click for baselines). */
  countedCps: number;
  /** Tollbooth: clicks per second that reached a final count (see docs/bench.md). */
  finalCps?: number;
  exact: boolean;
  exactDetail: string;
  /** Set when a service restarted or a process exited during the run: its figures mean nothing. */
  void?: string;
  clicksTaken: number;
  clicksCounted: number;
  seconds: number;
  batchLatencyMs: { p50: number; p99: number };
  failures: number;
  verdicts: Record<string, number>;
  /** `never`: probes never seen (a late click shows only where the API reports late counts). */
  visibleMs?: Freshness;
  /** Every probe's event time and click-to-visible ms (JSON only). */
  visibleAt?: Array<{ ts: number; ms: number }>;
  /** `never`: minutes not final by the deadline (a window, grace and two minutes after the load). */
  finalMs?: Freshness;
  cpu: CpuRow[];
  cpuUsPerClick: number;
  netCpuUsPerClick: number;
  /** Tollbooth: Redis commands per click taken, by name (bench/measure/redis-commands.ts). */
  redisCommandsPerClick?: Record<string, number>;
  reads: ReadSample[];
}

export interface RunResult {
  date: string;
  machine: string;
  options: Record<string, unknown>;
  systems: SystemResult[];
}
