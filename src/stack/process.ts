/**
 * Background processes the project starts itself: spawned detached with their output in a
 * log file, remembered by a pid file, and stopped only by that pid.
 */
import { spawn } from 'node:child_process';
import { environmentWith } from '../shared/config.ts';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DaemonSpec {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  logFile: string;
  pidFile: string;
}

/** Starts a process in its own session so it outlives the CLI, and writes its pid file. */
export function startDaemon(spec: DaemonSpec): number {
  mkdirSync(path.dirname(spec.logFile), { recursive: true });
  mkdirSync(path.dirname(spec.pidFile), { recursive: true });
  const out = openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: environmentWith(spec.env ?? {}),
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
  child.unref();
  writeFileSync(spec.pidFile, `${child.pid}\n`);
  return child.pid;
}

/** The pid in a pid file, if the file exists and that process is alive. */
export function livePid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    return /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Removes the pid file, then sends SIGTERM, waits up to `graceMs`, then SIGKILL. The pid file
 * goes first: a supervisor restarts only a process whose pid file outlived it (a crash).
 */
export async function stopPid(pidFile: string, graceMs: number): Promise<'stopped' | 'not-running'> {
  const pid = livePid(pidFile);
  rmSync(pidFile, { force: true });
  if (pid === undefined) return 'not-running';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return 'stopped';
}

/** Kills a process hard, as a crash would (used by fault tests). */
export function killHard(pidFile: string): number | undefined {
  const pid = livePid(pidFile);
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
  return pid;
}

/** The last lines of a log file, for "why did it not start" messages. */
export function tail(file: string, lines = 20): string {
  if (!existsSync(file)) return '(no log yet)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** VmRSS of a process in bytes (Linux), undefined where /proc does not say. */
export function residentBytes(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
