/**
 * The processes a supervisor can run: the stack's services (one per process of each service)
 * and the project's own programs (ingest, sink, stats API, Postgres-wire endpoint). Each one is
 * wanted while its pid file exists: a stop on purpose removes the pid file, a crash leaves it.
 */
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import { startFlinkProcess } from '../stack/flink.ts';
import { startDaemon } from '../stack/process.ts';
import { logFile, pidFile, stackContext, type StackContext } from '../stack/service.ts';
import { SERVICES } from '../stack/stack.ts';

export interface Program {
  name: string;
  pidFile: string;
  log: string;
  start: () => Promise<void>;
}

/** The project's programs, each a `tollbooth <command>` process. */
export const APPS = ['ingest', 'sink', 'api', 'pg'] as const;
export type AppName = (typeof APPS)[number];

/** `<prefix>tollbooth-<app>`: a test run's programs never share pid files with the stack's. */
export const appProcessName = (config: Config, app: AppName) => `${config.kafka.topicPrefix}tollbooth-${app}`;

export function isApp(name: string): name is AppName {
  return (APPS as readonly string[]).includes(name);
}

/** `env`: settings for the process beyond this one's environment (a test's prefix and ports). */
export function appProgram(config: Config, app: AppName, env: Record<string, string> = {}): Program {
  const ctx = stackContext(config);
  const name = appProcessName(config, app);
  const spec = {
    command: process.execPath,
    args: [path.join(config.repoRoot, 'bin', 'tollbooth.js'), app],
    cwd: config.repoRoot,
    env,
    logFile: logFile(ctx, name),
    pidFile: pidFile(ctx, name),
  };
  return { name, pidFile: spec.pidFile, log: spec.logFile, start: async () => void startDaemon(spec) };
}

function serviceProgram(ctx: StackContext, service: (typeof SERVICES)[number], proc: string): Program {
  const start = proc.startsWith('flink-') ? async () => startFlinkProcess(ctx, proc) : () => service.start(ctx);
  return { name: proc, pidFile: pidFile(ctx, proc), log: logFile(ctx, proc), start };
}

/** Every process of every service of the stack. */
export function servicePrograms(config: Config): Program[] {
  const ctx = stackContext(config);
  return SERVICES.flatMap((s) => s.processes.map((p) => serviceProgram(ctx, s, p)));
}
