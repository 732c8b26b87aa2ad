/**
 * A typed client for the Flink JobManager REST API (Flink 2.2.1, port 8081): the jobs, their
 * checkpoints, stop-with-savepoint and cancel. The SQL Gateway submits jobs; this watches and
 * stops them.
 */
import { z } from 'zod';
import type { Config } from '../shared/config.ts';
import { FlinkApiError, pollUntil, requestJson, rootCause } from './http.ts';

export const JOB_STATES = [
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
] as const;
export type JobState = (typeof JOB_STATES)[number];
/** States a job never leaves (in a session cluster, SUSPENDED only on JobManager shutdown). */
export const TERMINAL_STATES: readonly JobState[] = ['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED'];

const jobState = z.enum(JOB_STATES);
const jobOverview = z.object({
  jid: z.string(),
  name: z.string(),
  state: jobState,
  'start-time': z.number(),
  'end-time': z.number(),
});
const jobsOverview = z.object({ jobs: z.array(jobOverview) });
const jobDetails = z.object({
  jid: z.string(),
  name: z.string(),
  state: jobState,
  'start-time': z.number(),
  vertices: z.array(z.object({ id: z.string(), name: z.string(), parallelism: z.number(), status: z.string() })),
});
const checkpointRef = z.object({ id: z.number(), external_path: z.string().nullish() }).nullish();
const checkpoints = z.object({
  latest: z.object({ completed: checkpointRef, savepoint: checkpointRef, restored: checkpointRef }).partial(),
});
const exceptionHistory = z.object({
  exceptionHistory: z.object({ entries: z.array(z.object({ stacktrace: z.string() })) }),
});
const triggered = z.object({ 'request-id': z.string() });
const savepointStatus = z.object({
  status: z.object({ id: z.enum(['IN_PROGRESS', 'COMPLETED']) }),
  // null while IN_PROGRESS; then either the savepoint's location or the failure.
  operation: z
    .object({
      location: z.string().optional(),
      'failure-cause': z.object({ 'stack-trace': z.string().optional() }).passthrough().optional(),
    })
    .nullish(),
});

/** A job as listed by /jobs/overview. */
export interface JobSummary {
  id: string;
  name: string;
  state: JobState;
  startTime: number;
  /** -1 while the job has not ended. */
  endTime: number;
}

export type JobDetails = z.infer<typeof jobDetails>;

export interface WaitOptions {
  /** Submission to RUNNING is 1-5 s here; stop-with-savepoint adds a checkpoint (1 s interval). */
  timeoutMs?: number;
  /** 250 ms: well under the time these transitions take, few enough calls to stay quiet. */
  intervalMs?: number;
}

export class FlinkRest {
  constructor(readonly baseUrl: string) {}

  static fromConfig(config: Config): FlinkRest {
    return new FlinkRest(`http://${config.flink.host}:${config.flink.restPort}`);
  }

  /** Every job the JobManager knows: running ones and recently ended ones (kept for an hour). */
  async listJobs(): Promise<JobSummary[]> {
    const { jobs } = await requestJson(`${this.baseUrl}/jobs/overview`, jobsOverview);
    return jobs.map((j) => ({
      id: j.jid,
      name: j.name,
      state: j.state,
      startTime: j['start-time'],
      endTime: j['end-time'],
    }));
  }

  async jobDetails(jobId: string): Promise<JobDetails> {
    return requestJson(`${this.baseUrl}/jobs/${jobId}`, jobDetails);
  }

  /** The external path of the job's latest completed checkpoint, or undefined if none completed yet. */
  async latestCheckpointPath(jobId: string): Promise<string | undefined> {
    const answer = await requestJson(`${this.baseUrl}/jobs/${jobId}/checkpoints`, checkpoints);
    return answer.latest.completed?.external_path ?? undefined;
  }

  /** The checkpoint or savepoint the job was restored from, if any (proof of a restore). */
  async restoredFrom(jobId: string): Promise<string | undefined> {
    const answer = await requestJson(`${this.baseUrl}/jobs/${jobId}/checkpoints`, checkpoints);
    return answer.latest.restored?.external_path ?? undefined;
  }

  /**
   * Stops the job with a savepoint (drain=false: windows stay open in the savepoint instead of
   * being flushed by a MAX_WATERMARK, so a restarted job continues them), waits for the
   * savepoint and returns its path. Without `targetDirectory`, the cluster's savepoint dir.
   */
  async stopWithSavepoint(jobId: string, opts: WaitOptions & { targetDirectory?: string } = {}): Promise<string> {
    const body = { drain: false, ...(opts.targetDirectory ? { targetDirectory: opts.targetDirectory } : {}) };
    const trigger = await requestJson(`${this.baseUrl}/jobs/${jobId}/stop`, triggered, { body });
    const status = await pollUntil(
      `the savepoint of job ${jobId}`,
      async () => {
        const s = await requestJson(
          `${this.baseUrl}/jobs/${jobId}/savepoints/${trigger['request-id']}`,
          savepointStatus,
        );
        return s.status.id === 'COMPLETED' ? s : undefined;
      },
      { timeoutMs: opts.timeoutMs ?? 120_000, intervalMs: opts.intervalMs ?? 250 },
    );
    const location = status.operation?.location;
    if (location) return location;
    const trace = status.operation?.['failure-cause']?.['stack-trace'] ?? JSON.stringify(status.operation);
    throw new FlinkApiError(
      200,
      `${this.baseUrl}/jobs/${jobId}/stop`,
      `stop-with-savepoint of job ${jobId} failed: ${rootCause(trace)}`,
      [trace],
    );
  }

  /** Cancels the job (its retained checkpoints stay: RETAIN_ON_CANCELLATION) and waits until CANCELED. */
  async cancelJob(jobId: string, opts: WaitOptions = {}): Promise<void> {
    await requestJson(`${this.baseUrl}/jobs/${jobId}?mode=cancel`, z.unknown(), { method: 'PATCH' });
    await this.waitForJobState(jobId, ['CANCELED', 'FINISHED', 'FAILED'], opts);
  }

  /**
   * Waits until the job is in one of `states`; fails early if it ends in another state.
   * With `allTasksRunning`, RUNNING also needs every vertex RUNNING (the job is RUNNING as soon
   * as it is scheduled, before its sources read anything).
   */
  async waitForJobState(
    jobId: string,
    states: readonly JobState[],
    opts: WaitOptions & { allTasksRunning?: boolean } = {},
  ): Promise<JobDetails> {
    return pollUntil(
      `job ${jobId} to be ${states.join(' or ')}`,
      async () => {
        const job = await this.jobDetails(jobId);
        if (states.includes(job.state)) {
          const tasksReady =
            !opts.allTasksRunning || job.state !== 'RUNNING' || job.vertices.every((v) => v.status === 'RUNNING');
          return tasksReady ? job : undefined;
        }
        if (TERMINAL_STATES.includes(job.state))
          throw new Error(`job ${jobId} ended ${job.state} while waiting for ${states.join(' or ')}`);
        return undefined;
      },
      { timeoutMs: opts.timeoutMs ?? 60_000, intervalMs: opts.intervalMs ?? 250 },
    );
  }

  /** Why the job failed or restarted last: the root cause of its newest exception, if any. */
  async jobFailure(jobId: string): Promise<string | undefined> {
    const answer = await requestJson(`${this.baseUrl}/jobs/${jobId}/exceptions`, exceptionHistory);
    const newest = answer.exceptionHistory.entries[0];
    return newest ? rootCause(newest.stacktrace) : undefined;
  }
}
