/**
 * What "healthy" means, as one pure function over a status snapshot: every process up, every job
 * that should run RUNNING, consumer lag under a stated bound, and the newest final window no
 * further behind now than grace + 5 s + one window (the freshness promise plus the window that
 * is still open).
 */

// 10,000 records: under a second of the ingest's measured throughput on one machine, so a lag
// above it means a consumer is stalled, not busy.
export const LAG_BOUND = 10_000;
// The freshness promise: a window is final within grace + 5 s after it ends.
const FRESHNESS_SLACK_MS = 5000;

export interface ProcessHealth {
  name: string;
  up: boolean;
  pid: number | undefined;
  restarts: number;
  state: string;
  rssBytes: number | undefined;
}

export interface JobHealth {
  name: string;
  wanted: 'running' | 'stopped';
  state: string;
  lastCheckpointAt: number | undefined;
}

export interface LagHealth {
  group: string;
  topic: string;
  lag: number | undefined;
}

export interface StatusSnapshot {
  at: number;
  processes: ProcessHealth[];
  jobs: JobHealth[];
  lag: LagHealth[];
  newestFinalWindowEnd: number | undefined;
  deadLetters: number | undefined;
  windowMs: number;
  graceMs: number;
}

export interface HealthVerdict {
  healthy: boolean;
  problems: string[];
  finalWindowBehindMs: number | undefined;
  finalWindowBoundMs: number;
}

export function judgeHealth(s: StatusSnapshot): HealthVerdict {
  const problems: string[] = [];
  for (const p of s.processes) if (!p.up) problems.push(`${p.name} is ${p.state}`);
  for (const j of s.jobs)
    if (j.wanted === 'running' && j.state !== 'RUNNING') problems.push(`job ${j.name} is ${j.state}`);
  for (const l of s.lag) {
    if (l.lag === undefined) problems.push(`lag of ${l.group} on ${l.topic} unknown`);
    else if (l.lag > LAG_BOUND)
      problems.push(`${l.group} is ${l.lag} records behind on ${l.topic} (bound ${LAG_BOUND})`);
  }
  const bound = s.graceMs + FRESHNESS_SLACK_MS + s.windowMs;
  const behind = s.newestFinalWindowEnd === undefined ? undefined : s.at - s.newestFinalWindowEnd;
  if (s.jobs.some((j) => j.wanted === 'running')) {
    if (behind === undefined) problems.push('no window is final yet');
    else if (behind > bound)
      problems.push(
        `newest final window ended ${(behind / 1000).toFixed(1)} s ago (bound ${(bound / 1000).toFixed(1)} s)`,
      );
  }
  return { healthy: problems.length === 0, problems, finalWindowBehindMs: behind, finalWindowBoundMs: bound };
}
