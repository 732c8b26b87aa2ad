/**
 * One fault scenario, end to end: a fault run's own pipeline, a steady load with its ledger, the
 * fault injected partway (nothing restarted by hand: the supervisors heal), then the wait until
 * the stack is healthy and every window is final, and the comparison with the ledger.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { pidFile, stackContext } from '../../src/stack/service.ts';
import { appProgram, type AppName } from '../../src/supervisor/programs.ts';
import { newestFinalWindowEnd } from '../../src/status/pipeline.ts';
import { readStatus } from '../../src/status/snapshot.ts';
import { pipelineCounts } from '../helpers/pipeline-counts.ts';
import { eventually } from '../helpers/prefix.ts';
import { compare, type Comparison } from './compare.ts';
import { readKafkaTruth } from './kafka-truth.ts';
import { runLoad, type LoadResult } from './load.ts';
import { pidOf, startFaultRun, type FaultRun } from './setup.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FaultRow extends Comparison {
  fault: string;
  sent: number;
  conflicts: string[];
  secondsUntilHealthy: number | undefined;
  secondsUntilFinal: number | undefined;
  resends: number;
}

export type Inject = (run: FaultRun) => Promise<void>;

/** SIGKILL of a process of the stack (a crash). */
export const killService =
  (proc: string): Inject =>
  async (run) =>
    void process.kill(pidOf(pidFile(stackContext(run.stack), proc)), 'SIGKILL');
/** SIGKILL of this run's ingest or sink. */
export const killApp =
  (app: AppName): Inject =>
  async (run) =>
    void process.kill(pidOf(appProgram(run.config, app).pidFile), 'SIGKILL');

// 90 s of clicks at 40 a second, the fault 30 s in: steady state before, and a tail after that
// outlasts the slowest heal measured (a JobManager, 63 s).
const LOAD_SECONDS = 90;
const RATE = 40;
const FAULT_AT_SECONDS = 30;
// The longest a heal may take before the scenario counts as not healed (JobManager restart and job restore included).
const HEAL_TIMEOUT_MS = 240_000;
const RESULTS = path.resolve('test-artifacts', 'faults.jsonl');

/**
 * Seconds from the fault until the stack turned healthy and stayed so: a fault is not noticed at
 * once (Flink sees a dead TaskManager only when its heartbeats stop), so the first healthy
 * reading after the fault proves nothing; the start of the last healthy streak does.
 */
async function watchHealth(run: FaultRun, since: () => number, stop: () => boolean): Promise<number | undefined> {
  let healthySince: number | undefined;
  while (!stop()) {
    const at = since();
    if (at > 0) {
      const status = await readStatus(run.config).catch(() => undefined);
      if (!status?.health.healthy) healthySince = undefined;
      else healthySince ??= Date.now();
    }
    await sleep(1000);
  }
  return healthySince === undefined ? undefined : healthySince - since();
}

async function waitFinal(run: FaultRun, load: LoadResult): Promise<number | undefined> {
  const W = run.config.pipeline.windowSeconds * 1000;
  const lastTs = Math.max(
    ...[...load.clicks.values()].filter((c) => !load.deliberatelyLate.has(c.click_id)).map((c) => c.ts),
  );
  const lastEnd = lastTs - (lastTs % W) + W;
  const clickhouse = createClickHouse(run.config);
  try {
    await eventually(
      async () =>
        ((await newestFinalWindowEnd(run.config, clickhouse).catch(() => undefined)) ?? 0) >= lastEnd || undefined,
      HEAL_TIMEOUT_MS,
      'the last window to be final',
    );
    return Date.now() - load.endedAt;
  } catch {
    return undefined;
  } finally {
    await clickhouse.close();
  }
}

export async function runFault(fault: string, inject: Inject): Promise<FaultRow> {
  const run = await startFaultRun(
    fault
      .toLowerCase()
      .replace(/sigkill/, '')
      .replace(/[^a-z]/g, '')
      .slice(0, 12),
  );
  try {
    let faultAt = 0;
    let watching = true;
    // Health is watched from the fault until the counts are compared.
    const healthy = watchHealth(
      run,
      () => faultAt,
      () => !watching,
    );
    const load = await runLoad({
      url: `${run.ingestUrl}/v1/clicks`,
      ingestKey: run.ingestKey,
      ratePerSecond: RATE,
      seconds: LOAD_SECONDS,
      faultAtSeconds: FAULT_AT_SECONDS,
      seed: 7,
      runId: run.config.kafka.topicPrefix,
      onFault: async () => {
        faultAt = Date.now();
        await inject(run);
      },
    });
    const secondsUntilFinal = await waitFinal(run, load);
    const clickhouse = createClickHouse(run.config);
    const rows = async <T>(query: string): Promise<T[]> =>
      (await (await clickhouse.query({ query, format: 'JSONEachRow' })).json()) as T[];
    const counts = pipelineCounts({ config: run.config, rows });
    const W = run.config.pipeline.windowSeconds * 1000;
    const lateIds = async () =>
      (
        await rows<{ click_id: string }>(`SELECT DISTINCT click_id FROM ${run.config.clickhouse.database}.clicks_late`)
      ).map((r) => r.click_id);
    const truth = await readKafkaTruth(run.config);
    const read = async () =>
      compare(
        load,
        {
          windows: await counts.windows(),
          late: await counts.late(),
          rejected: await counts.rejected(),
          lateIds: await lateIds(),
          onTimeAndLateInKafka: truth.onTimeAndLate,
        },
        W,
      );
    // The sink may still be writing the last rows: poll until exact, else take what is there.
    const result = await eventually(
      async () => {
        const c = await read();
        return c.over === 0 && c.under === 0 ? c : undefined;
      },
      60_000,
      'counts to match the ledger',
    ).catch(read);
    await clickhouse.close();
    // The counts may settle before the stack is healthy again: give the heal its time too.
    await eventually(
      async () => ((await readStatus(run.config).catch(() => undefined))?.health.healthy ? true : undefined),
      HEAL_TIMEOUT_MS,
      'a healthy stack',
    ).catch(() => undefined);
    watching = false;
    const healMs = await healthy;
    const row: FaultRow = {
      fault,
      sent: load.clicks.size,
      ...result,
      conflicts: load.conflicts,
      resends: load.resends,
      secondsUntilHealthy: healMs === undefined ? undefined : Math.round(healMs / 100) / 10,
      secondsUntilFinal: secondsUntilFinal === undefined ? undefined : Math.round(secondsUntilFinal / 100) / 10,
    };
    mkdirSync(path.dirname(RESULTS), { recursive: true });
    appendFileSync(RESULTS, `${JSON.stringify({ ...row, at: new Date().toISOString() })}\n`);
    console.log(
      `FAULT ${fault}: sent ${row.sent}, accepted ${row.accepted}, counted ${row.counted}, over ${row.over} (on time and late: ${row.onTimeAndLate}), under ${row.under}, healthy after ${row.secondsUntilHealthy ?? 'never'} s, last window final ${row.secondsUntilFinal ?? 'never'} s after the load${row.mismatches.length ? `\n${row.mismatches.join('\n')}` : ''}`,
    );
    return row;
  } finally {
    await run.close();
  }
}
