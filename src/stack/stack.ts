/**
 * The whole stack: install what is missing, start what is not running, wait until each
 * service really answers; stop only the processes we started, by their pid files.
 */
import type { Config } from '../shared/config.ts';
import { clickhouseService } from './clickhouse.ts';
import { flinkService } from './flink.ts';
import { kafkaService } from './kafka.ts';
import { livePid, stopPid, tail } from './process.ts';
import { redisService } from './redis.ts';
import { waitUntil } from './run.ts';
import { logFile, pidFile, stackContext, type Service, type StackContext } from './service.ts';

export const SERVICES: Service[] = [redisService, clickhouseService, kafkaService, flinkService];

export interface ServiceReport {
  name: string;
  ok: boolean;
  endpoint: string;
  detail: string;
}

export function selectServices(names: string[]): Service[] {
  if (names.length === 0) return SERVICES;
  return names.map((n) => {
    const s = SERVICES.find((x) => x.name === n);
    if (s === undefined) throw new Error(`unknown service "${n}" (known: ${SERVICES.map((x) => x.name).join(', ')})`);
    return s;
  });
}

async function ensureInstalled(ctx: StackContext, services: Service[]): Promise<void> {
  // apt-get holds a lock: Debian packages one after another; Maven and pip downloads alongside.
  const apt = services.filter((s) => s === redisService || s === clickhouseService);
  const others = services.filter((s) => !apt.includes(s));
  const install = async (s: Service) => {
    if (await s.isInstalled(ctx)) return;
    ctx.progress(`${s.name}: installing`);
    const started = Date.now();
    await s.install(ctx);
    ctx.progress(`${s.name}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };
  const aptChain = (async () => {
    for (const s of apt) await install(s);
  })();
  await Promise.all([aptChain, ...others.map(install)]);
}

async function startOne(ctx: StackContext, s: Service): Promise<ServiceReport> {
  const endpoint = s.endpoint(ctx);
  if (await s.ready(ctx).catch(() => false)) return { name: s.name, ok: true, endpoint, detail: 'already running' };
  ctx.progress(`${s.name}: starting`);
  const started = Date.now();
  await s.start(ctx);
  const ok = await waitUntil(() => s.ready(ctx), s.readyTimeoutSeconds * 1000, 300);
  if (ok) return { name: s.name, ok, endpoint, detail: `up in ${((Date.now() - started) / 1000).toFixed(1)} s` };
  const logs = s.processes.map((p) => `--- ${logFile(ctx, p)}\n${tail(logFile(ctx, p))}`).join('\n');
  return { name: s.name, ok, endpoint, detail: `did not answer within ${s.readyTimeoutSeconds} s\n${logs}` };
}

/** Installs (once) and starts the services; resolves with one report per service. */
export async function servicesUp(
  config: Config,
  names: string[] = [],
  progress?: (m: string) => void,
): Promise<ServiceReport[]> {
  const ctx = stackContext(config, progress);
  const services = selectServices(names);
  await ensureInstalled(ctx, services);
  return Promise.all(services.map((s) => startOne(ctx, s)));
}

/** Stops our processes in reverse order of start and waits for each to exit. */
export async function servicesDown(
  config: Config,
  names: string[] = [],
  progress?: (m: string) => void,
): Promise<void> {
  const procs = [...selectServices(names)].reverse().flatMap((s) => [...s.processes].reverse());
  await stopProcesses(config, procs, progress);
}

/** The pid-file names a stop request means: a service (all its processes) or one process. */
export function processesNamed(names: string[]): string[] | string {
  const out: string[] = [];
  for (const n of names) {
    const service = SERVICES.find((s) => s.name === n);
    if (service !== undefined) out.push(...service.processes);
    else if (SERVICES.some((s) => s.processes.includes(n))) out.push(n);
    else
      return `unknown service or process "${n}" (known: ${SERVICES.flatMap((s) => [s.name, ...s.processes.filter((p) => p !== s.name)]).join(', ')})`;
  }
  return out;
}

/** Stops the named processes on purpose: their pid files go, so no supervisor restarts them. */
export async function stopProcesses(
  config: Config,
  procs: string[],
  progress: (m: string) => void = () => {},
): Promise<void> {
  const ctx = stackContext(config, progress);
  for (const proc of procs) {
    // 30 s: Kafka and Flink flush and deregister on SIGTERM; past that, SIGKILL.
    if ((await stopPid(pidFile(ctx, proc), 30_000)) === 'stopped') ctx.progress(`${proc}: stopped`);
  }
}

export interface ProcessStatus {
  service: string;
  process: string;
  pid: number | undefined;
  log: string;
  endpoint: string;
}

export function servicesStatus(config: Config, names: string[] = []): ProcessStatus[] {
  const ctx = stackContext(config);
  return selectServices(names).flatMap((s) =>
    s.processes.map((p) => ({
      service: s.name,
      process: p,
      pid: livePid(pidFile(ctx, p)),
      log: logFile(ctx, p),
      endpoint: s.endpoint(ctx),
    })),
  );
}

/** True when every selected service answers. */
export async function servicesReady(config: Config, names: string[] = []): Promise<boolean> {
  const ctx = stackContext(config);
  const results = await Promise.all(selectServices(names).map((s) => s.ready(ctx).catch(() => false)));
  return results.every(Boolean);
}
