/** What every service of the stack provides, and the folders they share. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';

export interface Versions {
  kafka: { version: string; scala: string; log4j: string };
  flink: { version: string; kafkaConnector: string };
  clickhouse: { debianPackage: string; expect: string };
  redis: { debianPackage: string; expect: string };
}

export interface StackContext {
  config: Config;
  versions: Versions;
  /** Downloads, kept across `down`/`up`: a second `up` fetches nothing. */
  cacheDir: string;
  logDir: string;
  runDir: string;
  /** Per-service configuration and data, under the stack folder. */
  serviceDir: (service: string) => string;
  progress: (message: string) => void;
}

export interface Service {
  name: string;
  /** The processes it runs, each with a pid file `<runDir>/<process>.pid` and log `<logDir>/<process>.log`. */
  processes: string[];
  /** Where clients reach it, for `status`. */
  endpoint: (ctx: StackContext) => string;
  isInstalled: (ctx: StackContext) => Promise<boolean>;
  install: (ctx: StackContext) => Promise<void>;
  /** Writes configuration and starts the processes that are not already alive. */
  start: (ctx: StackContext) => Promise<void>;
  /** True once the service really answers (not just once its port is open). */
  ready: (ctx: StackContext) => Promise<boolean>;
  /** Seconds to wait for `ready` after a start. */
  readyTimeoutSeconds: number;
}

export function stackContext(config: Config, progress: (m: string) => void = () => {}): StackContext {
  const versionsFile = path.join(config.repoRoot, 'stack', 'versions.json');
  return {
    config,
    versions: JSON.parse(readFileSync(versionsFile, 'utf8')) as Versions,
    cacheDir: path.join(config.stackDir, 'cache'),
    logDir: path.join(config.stackDir, 'logs'),
    runDir: path.join(config.stackDir, 'run'),
    serviceDir: (service) => path.join(config.stackDir, service),
    progress,
  };
}

export const pidFile = (ctx: StackContext, proc: string) => path.join(ctx.runDir, `${proc}.pid`);
export const logFile = (ctx: StackContext, proc: string) => path.join(ctx.logDir, `${proc}.log`);
