/**
 * Every process of the stack and of this prefix's programs: up or not, restarts (from the
 * supervisor's state file), and resident memory (from /proc).
 */
import { existsSync } from 'node:fs';
import type { Config } from '../shared/config.ts';
import { livePid, residentBytes } from '../stack/process.ts';
import { pidFile, stackContext } from '../stack/service.ts';
import { SERVICES } from '../stack/stack.ts';
import { APPS, appProcessName } from '../supervisor/programs.ts';
import { readState, supervisorFiles, type ProgramReport } from '../supervisor/state.ts';
import type { ProcessHealth } from './health.ts';

export interface SupervisorSummary {
  scope: string;
  pid: number | undefined;
  startedAt: number | undefined;
}

export function supervisorsOf(config: Config): { summaries: SupervisorSummary[]; reports: Map<string, ProgramReport> } {
  const configs =
    config.kafka.topicPrefix === '' ? [config] : [{ ...config, kafka: { ...config.kafka, topicPrefix: '' } }, config];
  const reports = new Map<string, ProgramReport>();
  const summaries = configs.map((c) => {
    const files = supervisorFiles(c);
    const pid = livePid(files.pid);
    const state = pid === undefined ? undefined : readState(files.state);
    for (const p of state?.programs ?? []) reports.set(p.name, p);
    return { scope: c.kafka.topicPrefix || 'stack', pid, startedAt: state?.startedAt };
  });
  return { summaries, reports };
}

export function processHealth(config: Config): { supervisors: SupervisorSummary[]; processes: ProcessHealth[] } {
  const ctx = stackContext(config);
  const { summaries, reports } = supervisorsOf(config);
  const services = SERVICES.flatMap((s) => s.processes);
  // The programs of this prefix that were started (pid file) or that a supervisor watches.
  const apps = APPS.map((a) => appProcessName(config, a)).filter((n) => reports.has(n) || existsSync(pidFile(ctx, n)));
  const processes = [...services, ...apps].map((name): ProcessHealth => {
    const pid = livePid(pidFile(ctx, name));
    const report = reports.get(name);
    const state = pid !== undefined ? 'up' : (report?.state ?? (existsSync(pidFile(ctx, name)) ? 'dead' : 'stopped'));
    return {
      name,
      up: pid !== undefined,
      pid,
      restarts: report?.restarts ?? 0,
      state,
      rssBytes: pid === undefined ? undefined : residentBytes(pid),
    };
  });
  return { supervisors: summaries, processes };
}
