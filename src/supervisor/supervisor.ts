/**
 * The supervisor's loop: every half second, each wanted process (pid file present) is checked;
 * one that died is restarted after the restart policy's delay, with a log line and a counter,
 * or reported as a crash loop. When the Flink JobManager comes back as a new process, the jobs
 * that should run are restored from their checkpoints (`jobs ensure`) once Flink answers.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { livePid } from '../stack/process.ts';
import { decideRestart, recordRestart, type RestartHistory } from './restart-policy.ts';
import { writeState, type ProgramReport, type SupervisorState } from './state.ts';
import type { Program } from './programs.ts';
import { ensureJobsWhenFlinkBack, type JobsWatch } from './jobs-watch.ts';
import { setTimeout as sleep } from 'node:timers/promises';

// Half a second: a dead process is noticed fast, and a check is a stat and a kill(0) per process.
const TICK_MS = 500;
// The state file is rewritten on every change, and at least this often so readers see a live heartbeat.
const HEARTBEAT_MS = 5000;

interface Tracked {
  program: Program;
  history: RestartHistory;
  report: ProgramReport;
}

export interface SupervisorOptions {
  config: Config;
  programs: Program[];
  stateFile: string;
  log: Logger;
  jobs: JobsWatch;
}

export class Supervisor {
  private readonly tracked: Tracked[];
  private readonly startedAt = Date.now();
  private jobsEnsure: SupervisorState['jobsEnsure'];
  private stopped = false;
  private ensuring: Promise<void> | undefined;
  private lastWrite = 0;

  constructor(private readonly opts: SupervisorOptions) {
    this.tracked = opts.programs.map((program) => {
      const pid = livePid(program.pidFile);
      const report: ProgramReport = {
        name: program.name,
        pid,
        state: pid === undefined ? 'stopped' : 'up',
        restarts: 0,
        upSince: pid === undefined ? undefined : Date.now(),
        lastDeath: undefined,
        nextRestartAt: undefined,
      };
      return { program, history: { restarts: [], upSince: report.upSince }, report };
    });
  }

  async run(): Promise<void> {
    while (!this.stopped) {
      let changed = false;
      for (const t of this.tracked) changed = (await this.check(t)) || changed;
      // In the background: restoring a job takes seconds, and processes must be watched meanwhile.
      this.ensuring ??= ensureJobsWhenFlinkBack(this.opts.jobs, this.opts.log)
        .catch(() => undefined)
        .then((outcome) => {
          this.ensuring = undefined;
          if (outcome !== undefined) {
            this.jobsEnsure = { at: Date.now(), outcome };
            this.write();
          }
        });
      if (changed || Date.now() - this.lastWrite >= HEARTBEAT_MS) this.write();
      await sleep(TICK_MS);
    }
    await this.ensuring;
  }

  stop(): void {
    this.stopped = true;
  }

  /** What the supervisor knows of each process now (copies). */
  reports(): ProgramReport[] {
    return this.tracked.map((t) => ({ ...t.report }));
  }

  private async check(t: Tracked): Promise<boolean> {
    const { program, report } = t;
    const pid = livePid(program.pidFile);
    const now = Date.now();
    if (pid !== undefined) {
      if (report.pid === pid && report.state === 'up') return false;
      // Started by someone else (`services up`, a test): adopt it.
      Object.assign(report, {
        pid,
        state: 'up',
        upSince: report.pid === pid ? report.upSince : now,
        nextRestartAt: undefined,
      });
      return true;
    }
    if (!existsSync(program.pidFile)) {
      // Stopped on purpose (its pid file removed): not ours to bring back.
      if (report.state === 'stopped') return false;
      Object.assign(report, { pid: undefined, state: 'stopped', nextRestartAt: undefined });
      return true;
    }
    if (report.state === 'up' || report.state === 'stopped') {
      const decision = decideRestart(t.history, now);
      Object.assign(report, {
        pid: undefined,
        lastDeath: now,
        state: decision.kind === 'crash-loop' ? 'crash-loop' : 'restarting',
        nextRestartAt: decision.atMs,
      });
      if (decision.kind === 'crash-loop') {
        this.opts.log.error(
          {
            process: program.name,
            restarts: report.restarts,
            log: program.log,
            retryAt: new Date(decision.atMs).toISOString(),
          },
          'process keeps dying: crash loop, not restarting it for now',
        );
      } else {
        this.opts.log.warn(
          { process: program.name, restartInMs: decision.atMs - now, log: program.log },
          'process died',
        );
      }
      return true;
    }
    if (report.nextRestartAt !== undefined && now >= report.nextRestartAt) return this.restart(t, now);
    return false;
  }

  private async restart(t: Tracked, now: number): Promise<boolean> {
    const { program, report } = t;
    // Someone may have started it meanwhile (`services up`, a test): adopt it on the next check.
    if (livePid(program.pidFile) !== undefined || !existsSync(program.pidFile)) return false;
    try {
      await program.start();
      t.history = recordRestart(t.history, now);
      report.restarts += 1;
      Object.assign(report, { pid: livePid(program.pidFile), state: 'up', upSince: now, nextRestartAt: undefined });
      this.opts.log.warn({ process: program.name, pid: report.pid, restarts: report.restarts }, 'process restarted');
    } catch (err) {
      const decision = decideRestart(t.history, now);
      t.history = recordRestart(t.history, now);
      report.nextRestartAt = decision.atMs;
      this.opts.log.error({ process: program.name, err: (err as Error).message }, 'restart failed');
    }
    return true;
  }

  write(): void {
    this.lastWrite = Date.now();
    const state: SupervisorState = {
      pid: process.pid,
      scope: this.opts.config.kafka.topicPrefix,
      startedAt: this.startedAt,
      updatedAt: this.lastWrite,
      programs: this.reports(),
      jobsEnsure: this.jobsEnsure,
    };
    writeState(this.opts.stateFile, state);
  }
}
