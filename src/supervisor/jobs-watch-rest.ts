/**
 * `tollbooth jobs watch`: the supervisor's JobManager watch where there are no pid files to
 * watch (containers, a cluster). A session cluster without high availability forgets its jobs
 * when its JobManager restarts; a JobManager that knows no job at all (not even one that ended:
 * it keeps those for an hour) while the registry says a job should run has been restarted, and
 * the jobs come back from their latest retained checkpoints (`jobs ensure`). A migration that
 * redeploys a job never leaves the JobManager empty (the stopped version stays listed), so the
 * watch does not race it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../shared/config.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import type { Logger } from '../shared/logger.ts';
import { JobDeployer } from '../flink/deploy.ts';
import { FlinkRest } from '../flink/flink-rest.ts';
import { JobRegistry } from '../flink/job-registry.ts';

const INTERVAL_MS = 5000;

/** One look: restores the jobs when the JobManager knows none; returns what it did, if anything. */
export async function restoreForgottenJobs(config: Config, log: Logger): Promise<string | undefined> {
  if ((await FlinkRest.fromConfig(config).listJobs()).length > 0) return undefined;
  const clickhouse = createClickHouse(config);
  try {
    const deployer = new JobDeployer(config, new JobRegistry(clickhouse, config.clickhouse.database), log);
    if (!(await deployer.status()).some((j) => j.wanted === 'running')) return undefined;
    const report = await deployer.ensure();
    const outcome = report
      .map((r) =>
        r.action === 'running' ? `${r.name}: running` : `${r.name}: restarted from ${r.from ?? 'the start'}`,
      )
      .join('; ');
    log.warn({ outcome }, 'jobs ensure: the JobManager knew no job');
    return outcome;
  } finally {
    await clickhouse.close();
  }
}

/** Looks every few seconds until `signal` aborts; a failed look (Flink restarting) is tried again. */
export async function watchJobs(config: Config, log: Logger, signal: AbortSignal): Promise<void> {
  log.info({ everyMs: INTERVAL_MS }, 'watching the JobManager for forgotten jobs');
  while (!signal.aborted) {
    await restoreForgottenJobs(config, log).catch((err: Error) =>
      log.info({ err: err.message }, 'jobs watch: not now; trying again'),
    );
    await sleep(INTERVAL_MS, undefined, { signal }).catch(() => undefined);
  }
}
