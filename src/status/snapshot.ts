/** One status snapshot: processes, jobs, lag, newest final window, dead letters, and the verdict. */
import type { Config } from '../shared/config.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import { logger } from '../shared/logger.ts';
import { JobDeployer } from '../flink/deploy.ts';
import { JobRegistry } from '../flink/job-registry.ts';
import { judgeHealth, type HealthVerdict, type StatusSnapshot } from './health.ts';
import { consumerLag, deadLetters, jobHealth, newestFinalWindowEnd } from './pipeline.ts';
import { processHealth, type SupervisorSummary } from './processes.ts';

// 5 s: status is for a person or a probe; a ClickHouse that needs longer counts as unreadable.
const QUERY_TIMEOUT_MS = 5000;

export interface Status extends StatusSnapshot {
  supervisors: SupervisorSummary[];
  health: HealthVerdict;
  /** Figures that could not be read, and why. */
  unreadable: string[];
}

export async function readStatus(config: Config, now: () => number = Date.now): Promise<Status> {
  const unreadable: string[] = [];
  const guard = async <T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      unreadable.push(`${what}: ${(err as Error).message.split('\n')[0]}`);
      return fallback;
    }
  };
  const { supervisors, processes } = processHealth(config);
  const clickhouse = createClickHouse(config, { requestTimeoutMs: QUERY_TIMEOUT_MS });
  try {
    const deployer = new JobDeployer(
      config,
      new JobRegistry(clickhouse, config.clickhouse.database),
      logger.child({}, { level: 'warn' }),
    );
    const { jobs, groups } = await guard('jobs', () => jobHealth(config, deployer), { jobs: [], groups: [] });
    const [lag, finalEnd, dead] = await Promise.all([
      consumerLag(config, groups),
      guard('newest final window', () => newestFinalWindowEnd(config, clickhouse), undefined),
      guard('dead letters', () => deadLetters(config, clickhouse), undefined),
    ]);
    const snapshot: StatusSnapshot = {
      at: now(),
      processes,
      jobs,
      lag,
      newestFinalWindowEnd: finalEnd,
      deadLetters: dead,
      windowMs: config.pipeline.windowSeconds * 1000,
      graceMs: config.pipeline.graceMs,
    };
    const health = judgeHealth(snapshot);
    if (unreadable.length > 0) health.problems.push(...unreadable.map((u) => `unreadable: ${u}`));
    health.healthy = health.problems.length === 0;
    return { ...snapshot, supervisors, health, unreadable };
  } finally {
    await clickhouse.close();
  }
}
