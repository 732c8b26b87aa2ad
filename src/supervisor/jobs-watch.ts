/**
 * After the Flink JobManager restarts, a session cluster without high availability has forgotten
 * its jobs. The supervisor watches the JobManager's pid (whoever restarted it) and, once Flink
 * answers again, runs `jobs ensure` for its configuration: every job that should run comes back
 * from its latest retained checkpoint. It runs only after such a restart, never beside a
 * migration that is deploying a job on purpose.
 */
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { livePid } from '../stack/process.ts';
import { flinkService } from '../stack/flink.ts';
import { pidFile, stackContext } from '../stack/service.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import { JobDeployer } from '../flink/deploy.ts';
import { JobRegistry } from '../flink/job-registry.ts';

// A failed ensure (Flink still starting, ClickHouse down) is tried again after this pause.
const RETRY_MS = 5000;

export interface JobsWatch {
  config: Config;
  lastJobManagerPid: number | undefined;
  pending: boolean;
  notBefore: number;
}

export function jobsWatch(config: Config): JobsWatch {
  return {
    config,
    lastJobManagerPid: livePid(pidFile(stackContext(config), 'flink-jobmanager')),
    pending: false,
    notBefore: 0,
  };
}

/** Runs `jobs ensure` once Flink is back after a JobManager restart; returns what it did, if it ran. */
export async function ensureJobsWhenFlinkBack(w: JobsWatch, log: Logger): Promise<string | undefined> {
  const ctx = stackContext(w.config);
  const pid = livePid(pidFile(ctx, 'flink-jobmanager'));
  if (pid !== w.lastJobManagerPid) {
    // A new JobManager process (restarted by us or anyone): its jobs must be brought back.
    if (pid !== undefined) w.pending = true;
    w.lastJobManagerPid = pid;
  }
  if (!w.pending || pid === undefined || Date.now() < w.notBefore) return undefined;
  if (!(await flinkService.ready(ctx).catch(() => false))) return undefined;
  // The deployer alone: ensure reads the job registry, it migrates nothing.
  const clickhouse = createClickHouse(w.config);
  try {
    const report = await new JobDeployer(
      w.config,
      new JobRegistry(clickhouse, w.config.clickhouse.database),
      log,
    ).ensure();
    w.pending = false;
    const outcome =
      report
        .map((r) =>
          r.action === 'running'
            ? `${r.name}: running`
            : `${r.name}: restarted from ${r.from ?? 'the start of its topics'}`,
        )
        .join('; ') || 'no jobs deployed';
    log.warn({ outcome }, 'jobs ensure after a Flink JobManager restart');
    return outcome;
  } catch (err) {
    w.notBefore = Date.now() + RETRY_MS;
    log.error({ err: (err as Error).message }, 'jobs ensure failed; trying again');
    return undefined;
  } finally {
    await clickhouse.close();
  }
}
