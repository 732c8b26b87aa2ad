/**
 * What a supervisor knows, written as JSON next to its pid file so `tollbooth status` (and an
 * operator's script) can read it without talking to the supervisor.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';

export type ProgramState = 'up' | 'restarting' | 'crash-loop' | 'stopped';

export interface ProgramReport {
  name: string;
  pid: number | undefined;
  state: ProgramState;
  /** Restarts by this supervisor since it started. */
  restarts: number;
  /** When the current process came up (epoch ms), as far as this supervisor knows. */
  upSince: number | undefined;
  /** Why and when it last died, if it did under this supervisor. */
  lastDeath: number | undefined;
  /** When the next restart is due, while restarting or in a crash loop. */
  nextRestartAt: number | undefined;
}

export interface SupervisorState {
  pid: number;
  /** The topic prefix this supervisor serves ('' for the stack's own). */
  scope: string;
  startedAt: number;
  updatedAt: number;
  programs: ProgramReport[];
  jobsEnsure: { at: number; outcome: string } | undefined;
}

/** `<run>/<prefix>supervisor.{pid,json,log}`: one supervisor per stack folder and topic prefix. */
export function supervisorFiles(config: Config): { pid: string; state: string; log: string } {
  const base = `${config.kafka.topicPrefix}supervisor`;
  return {
    pid: path.join(config.stackDir, 'run', `${base}.pid`),
    state: path.join(config.stackDir, 'run', `${base}.json`),
    log: path.join(config.stackDir, 'logs', `${base}.log`),
  };
}

export function writeState(file: string, state: SupervisorState): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function readState(file: string): SupervisorState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SupervisorState;
  } catch {
    return undefined;
  }
}
