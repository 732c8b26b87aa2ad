/**
 * `tollbooth supervise [--services] [--apps ingest,sink,api,pg]`: the supervisor process itself
 * (started detached by `services up` and `start`, not by hand). The stack's services are
 * supervised only by the supervisor without a topic prefix: one per stack folder.
 */
import { rmSync, writeFileSync } from 'node:fs';
import type { Config } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { livePid } from '../stack/process.ts';
import { appProgram, isApp, servicePrograms, type Program } from './programs.ts';
import { jobsWatch } from './jobs-watch.ts';
import { metricsApp, processMetrics } from './metrics.ts';
import { supervisorFiles } from './state.ts';
import { Supervisor } from './supervisor.ts';

export interface SuperviseArgs {
  services: boolean;
  apps: string[];
}

/** The parsed `--services` and `--apps a,b` (the CLI reads the line); apps checked by name. */
export function parseSuperviseArgs(options: { services: boolean; apps: string | undefined }): SuperviseArgs | string {
  const services = options.services;
  const apps = (options.apps ?? '').split(',').filter(Boolean);
  const unknown = apps.filter((a) => !isApp(a));
  if (unknown.length > 0) return `unknown program(s): ${unknown.join(', ')}`;
  return { services, apps };
}

export async function runSupervisor(config: Config, args: SuperviseArgs): Promise<number> {
  const files = supervisorFiles(config);
  const other = livePid(files.pid);
  if (other !== undefined && other !== process.pid) {
    console.error(`a supervisor already runs for this stack and prefix (pid ${other})`);
    return 1;
  }
  if (args.services && config.kafka.topicPrefix !== '') {
    console.error('only the supervisor without a topic prefix runs the stack services');
    return 2;
  }
  writeFileSync(files.pid, `${process.pid}\n`);
  const programs: Program[] = [
    ...(args.services ? servicePrograms(config) : []),
    ...args.apps.filter(isApp).map((a) => appProgram(config, a)),
  ];
  const log = logger.child({ component: 'supervisor', scope: config.kafka.topicPrefix || 'stack' });
  const supervisor = new Supervisor({ config, programs, stateFile: files.state, log, jobs: jobsWatch(config) });
  const stop = () => supervisor.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info({ programs: programs.map((p) => p.name) }, 'supervisor running');
  const metrics = metricsApp(processMetrics(() => supervisor.reports()));
  // /metrics is a view of the supervision, not part of it: a port in use costs the gauges only.
  await metrics
    .listen({ host: config.bindHost, port: config.supervisor.metricsPort })
    .then(() => log.info({ port: config.supervisor.metricsPort }, 'supervisor metrics listening'))
    .catch((err: Error) => log.warn({ err: err.message }, 'supervisor metrics not served'));
  await supervisor.run();
  await metrics.close();
  log.info('supervisor stopped');
  rmSync(files.pid, { force: true });
  return 0;
}
