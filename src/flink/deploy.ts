/**
 * Deploys, stops and restarts the named Flink SQL jobs. A deployed version is recorded in the
 * job registry; `ensure` brings every job that should run back from its latest retained
 * checkpoint (after a Flink cluster restart, say).
 */
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { latestRetainedCheckpoint } from './checkpoints.ts';
import { firstNewOffsets } from './first-new-offsets.ts';
import { FlinkRest, type JobState } from './flink-rest.ts';
import { flinkJobName, renderJob, type JobSql } from './job-sql.ts';
import type { JobRecord, JobRegistry } from './job-registry.ts';
import { SqlGateway } from './sql-gateway.ts';

/** What a migration that changes a job's SQL does with the old job's state. */
export type ChangePolicy = { restore: 'savepoint' } | { restore: 'offsets'; fromMs: number } | { restore: 'rebuild' };

export type DeployOutcome =
  'unchanged' | 'started' | 'resumed' | 'redeployed-from-savepoint' | 'redeployed-from-offsets' | 'rebuilt';

const LIVE: readonly JobState[] = ['CREATED', 'INITIALIZING', 'RUNNING', 'RESTARTING', 'RECONCILING'];

/** The session settings every job of ours is submitted with. */
export function jobSessionProperties(config: Config, jobName: string, recoveryPath?: string): Record<string, string> {
  return {
    'pipeline.name': jobName,
    // Windows are aligned to UTC whatever the machine's zone.
    'table.local-time-zone': 'UTC',
    'execution.checkpointing.interval': `${config.flink.checkpointIntervalMs}ms`,
    ...(recoveryPath ? { 'execution.state-recovery.path': recoveryPath } : {}),
  };
}

export interface JobStatus {
  name: string;
  hash: string;
  jobId: string;
  wanted: JobRecord['event'];
  state: JobState | 'UNKNOWN';
  checkpoint: string | undefined;
}

export class JobDeployer {
  constructor(
    private readonly config: Config,
    private readonly registry: JobRegistry,
    private readonly log: Logger,
    private readonly gateway = SqlGateway.fromConfig(config),
    readonly rest = FlinkRest.fromConfig(config),
  ) {}

  async state(jobId: string): Promise<JobState | 'UNKNOWN'> {
    if (jobId === '') return 'UNKNOWN';
    return this.rest.jobDetails(jobId).then(
      (d) => d.state,
      () => 'UNKNOWN' as const,
    );
  }

  private async isLive(jobId: string): Promise<boolean> {
    const state = await this.state(jobId);
    return state !== 'UNKNOWN' && LIVE.includes(state);
  }

  /** Submits the statements as one job, from `recoveryPath` when given; waits until it runs. */
  private async submit(
    job: Pick<JobSql, 'name' | 'hash' | 'setup' | 'inserts'>,
    recoveryPath: string | undefined,
  ): Promise<string> {
    const properties = jobSessionProperties(this.config, flinkJobName(this.config, job), recoveryPath);
    const jobId = await this.gateway.withSession({ name: `deploy ${job.name}`, properties }, (s) =>
      s.submitStatementSet(job.setup, job.inserts),
    );
    await this.rest.waitForJobState(jobId, ['RUNNING'], { allTasksRunning: true, timeoutMs: 120_000 });
    this.log.info({ job: job.name, hash: job.hash, jobId, recoveryPath }, 'flink job running');
    return jobId;
  }

  private async start(
    job: Pick<JobSql, 'name' | 'hash' | 'setup' | 'inserts'>,
    recoveryPath: string | undefined,
  ): Promise<void> {
    const jobId = await this.submit(job, recoveryPath);
    await this.registry.record({ ...job, jobId, event: 'running', savepoint: recoveryPath ?? '' });
  }

  /** Stops a job with a savepoint and waits until it has really ended (it lingers a moment). */
  private async stopWithSavepoint(jobId: string): Promise<string> {
    const savepoint = await this.rest.stopWithSavepoint(jobId);
    await this.rest.waitForJobState(jobId, ['FINISHED', 'CANCELED', 'FAILED']);
    return savepoint;
  }

  /** Where a stopped or lost job of this record would continue from. */
  private resumePoint(rec: JobRecord): string | undefined {
    return latestRetainedCheckpoint(this.config, rec.jobId) ?? (rec.savepoint || undefined);
  }

  /** Makes job `name` run the SQL of `template`; `policy` says how to carry state across a change. */
  async deploy(name: string, template: string, policy: ChangePolicy): Promise<DeployOutcome> {
    const startup =
      policy.restore === 'offsets' && policy.fromMs > 0
        ? { mode: 'timestamp' as const, fromMs: policy.fromMs }
        : { mode: 'earliest-offset' as const };
    const job = renderJob(this.config, name, template, startup);
    const current = await this.registry.latest(name);
    if (current === undefined) {
      await this.start(job, undefined);
      return 'started';
    }
    const live = current.event === 'running' && (await this.isLive(current.jobId));
    if (current.hash === job.hash) {
      if (live) return 'unchanged';
      await this.start(current, this.resumePoint(current));
      return 'resumed';
    }
    const savepoint = live ? await this.stopWithSavepoint(current.jobId) : this.resumePoint(current);
    if (live) await this.registry.record({ ...current, event: 'stopped', savepoint: savepoint ?? '' });
    if (policy.restore === 'savepoint') {
      await this.start(job, savepoint);
      return 'redeployed-from-savepoint';
    }
    if (policy.restore === 'rebuild') {
      // Read after the stop: the final savepoint commits the old version's last offsets.
      const firstNew = await firstNewOffsets(this.config, name);
      await this.start(renderJob(this.config, name, template, { mode: 'earliest-offset', firstNew }), undefined);
      return 'rebuilt';
    }
    await this.start(job, undefined);
    return 'redeployed-from-offsets';
  }

  /** Stops job `name` with a savepoint (kept in the registry for the next deploy). */
  async stop(name: string): Promise<void> {
    const current = await this.registry.latest(name);
    if (current === undefined || current.event === 'stopped') return;
    const savepoint = (await this.isLive(current.jobId))
      ? await this.stopWithSavepoint(current.jobId)
      : this.resumePoint(current);
    await this.registry.record({ ...current, event: 'stopped', savepoint: savepoint ?? '' });
  }

  /** Restarts every job that should run and does not, from its latest retained checkpoint. */
  async ensure(): Promise<Array<{ name: string; action: 'running' | 'restarted'; from?: string }>> {
    const report: Array<{ name: string; action: 'running' | 'restarted'; from?: string }> = [];
    for (const rec of await this.registry.all()) {
      if (rec.event !== 'running') continue;
      if (await this.isLive(rec.jobId)) {
        report.push({ name: rec.name, action: 'running' });
        continue;
      }
      const from = this.resumePoint(rec);
      await this.start(rec, from);
      report.push({ name: rec.name, action: 'restarted', from });
    }
    return report;
  }

  async status(): Promise<JobStatus[]> {
    const records = await this.registry.all();
    return Promise.all(
      records.map(async (r) => ({
        name: r.name,
        hash: r.hash,
        jobId: r.jobId,
        wanted: r.event,
        state: await this.state(r.jobId),
        checkpoint: latestRetainedCheckpoint(this.config, r.jobId),
      })),
    );
  }
}
