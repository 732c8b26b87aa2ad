/** `tollbooth jobs status | ensure | watch`: the Flink jobs the migrations deployed. */
import type { Config } from '../../shared/config.ts';
import { createClickHouse } from '../../shared/clickhouse.ts';
import { logger } from '../../shared/logger.ts';
import { JobDeployer } from '../../flink/deploy.ts';
import { JobRegistry } from '../../flink/job-registry.ts';
import { watchJobs } from '../../supervisor/jobs-watch-rest.ts';
import type { Invocation } from '../args.ts';

export async function run(inv: Invocation, config: Config): Promise<number> {
  const action = inv.path[1];
  if (action === 'watch') {
    const stop = new AbortController();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop.abort());
    await watchJobs(config, logger.child({ component: 'jobs-watch' }), stop.signal);
    return 0;
  }
  // Reads the registry as it is: `jobs status` creates nothing.
  const clickhouse = createClickHouse(config);
  const jobs = new JobDeployer(config, new JobRegistry(clickhouse, config.clickhouse.database), logger);
  try {
    switch (action) {
      case 'status': {
        const all = await jobs.status();
        if (all.length === 0) console.log('no jobs deployed (run `tollbooth migrate up`)');
        for (const j of all) {
          console.log(
            `${j.name}@${j.hash}  wanted: ${j.wanted}  flink: ${j.state}  job: ${j.jobId}\n  latest retained checkpoint: ${j.checkpoint ?? 'none'}`,
          );
        }
        return all.every((j) => j.wanted === 'stopped' || j.state === 'RUNNING') ? 0 : 1;
      }
      case 'ensure':
        for (const r of await jobs.ensure())
          console.log(
            r.action === 'running'
              ? `${r.name}: running`
              : `${r.name}: restarted from ${r.from ?? 'the start of its topics'}`,
          );
        return 0;
      default:
        return 2;
    }
  } finally {
    await clickhouse.close();
  }
}
