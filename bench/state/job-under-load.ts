/**
 * The counting job alone under sustained load: the latest `clicks_pipeline` migration submitted
 * under a bench prefix with a chosen state backend, fed accepted clicks straight into its Kafka
 * topic at a fixed rate (no ingest, no sink), while its checkpoints and the TaskManager's CPU
 * are sampled. What it shows: how checkpoint size and duration grow with the dedup state, which
 * a 30-second `npm run bench` cannot (an hour of click_ids is the state at steady load).
 */
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../../src/shared/config.ts';
import { createKafka } from '../../src/shared/clients.ts';
import { topicNames } from '../../src/shared/names.ts';
import { ensureTopics } from '../../src/shared/topics.ts';
import { jobSessionProperties } from '../../src/flink/deploy.ts';
import { FlinkRest } from '../../src/flink/flink-rest.ts';
import { requestJson } from '../../src/flink/http.ts';
import { flinkJobName, renderJob } from '../../src/flink/job-sql.ts';
import { SqlGateway } from '../../src/flink/sql-gateway.ts';
import { latestJobMigration } from '../../src/migrate/flink-migration.ts';
import { listMigrations } from '../../src/migrate/migration-files.ts';
import { onInterrupt } from '../interrupt.ts';
import { livePid } from '../../src/stack/process.ts';
import { treeCpuUs } from '../measure/proc-stats.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export type Backend = 'rocksdb' | 'rocksdb-defaults' | 'hashmap';

export interface Sample {
  atS: number;
  clicks: number;
  tmCpuS: number;
  /** The latest completed checkpoint: whole state, what this checkpoint wrote, how long it took. */
  stateMb: number;
  writtenMb: number;
  durationMs: number;
}

export interface LoadResult {
  backend: Backend;
  clicks: number;
  tmUsPerClick: number;
  samples: Sample[];
}

const checkpoints = z.object({
  latest: z.object({
    completed: z
      .object({ state_size: z.number(), checkpointed_size: z.number(), end_to_end_duration: z.number() })
      .nullish(),
  }),
});

/** The backend in the job file (RocksDB, incremental), or the heap one as the file's last SET says. */
function backendSettings(backend: Backend): string[] {
  return backend === 'hashmap'
    ? ["SET 'state.backend.type' = 'hashmap'", "SET 'execution.checkpointing.incremental' = 'false'"]
    : [];
}

/** `rocksdb-defaults`: the job file's RocksDB with its `state.backend.rocksdb.*` tuning left out. */
export function keeps(backend: Backend, statement: string): boolean {
  return backend !== 'rocksdb-defaults' || !/^SET\s+'state\.backend\.rocksdb\./i.test(statement);
}

function clickValue(id: string, n: number, now: number): string {
  return JSON.stringify({
    v: 2,
    kind: 'click',
    click_id: id,
    ad_id: `ad${n % 10_000}`,
    user_id: `u${n % 100_000}`,
    ts: now,
    client_ts: now,
    ip: '127.0.0.1',
    user_agent: 'Mozilla/5.0',
    campaign_id: 'c1',
    ingested_at: now,
  });
}

export async function runJobUnderLoad(
  config: Config,
  backend: Backend,
  opts: { rate: number; seconds: number; sampleEveryS: number },
  say: (m: string) => void,
): Promise<LoadResult> {
  const migration = latestJobMigration(listMigrations(config.migrationsDir), 'clicks_pipeline');
  if (migration === undefined) throw new Error('no clicks_pipeline migration');
  const job = renderJob(config, 'clicks_pipeline', migration.template);
  const kafka = createKafka(config, 'state-bench');
  await ensureTopics(config, kafka);
  const rest = FlinkRest.fromConfig(config);
  const properties = jobSessionProperties(config, flinkJobName(config, job));
  const setup = [
    ...job.setup.filter((s) => /^SET /i.test(s) && keeps(backend, s)),
    ...backendSettings(backend),
    ...job.setup.filter((s) => !/^SET /i.test(s)),
  ];
  const jobId = await SqlGateway.fromConfig(config).withSession({ name: `state bench ${backend}`, properties }, (s) =>
    s.submitStatementSet(setup, job.inserts),
  );
  const unregister = onInterrupt(() => rest.cancelJob(jobId));
  await rest.waitForJobState(jobId, ['RUNNING'], { allTasksRunning: true, timeoutMs: 120_000 });
  // The stack's own pid file (Flink's script writes another for the same process).
  const tmPid = livePid(path.join(config.stackDir, 'run', 'flink-taskmanager.pid'));
  if (tmPid === undefined) throw new Error('no running Flink TaskManager in the stack folder');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const topic = topicNames(config).clicks;
  const samples: Sample[] = [];
  const cpu0 = treeCpuUs(tmPid);
  const t0 = Date.now();
  let sent = 0;
  const sample = async () => {
    const c = (await requestJson(`${rest.baseUrl}/jobs/${jobId}/checkpoints`, checkpoints)).latest.completed;
    const s = {
      atS: Math.round((Date.now() - t0) / 1000),
      clicks: sent,
      tmCpuS: (treeCpuUs(tmPid) - cpu0) / 1e6,
      stateMb: (c?.state_size ?? 0) / 1e6,
      writtenMb: (c?.checkpointed_size ?? 0) / 1e6,
      durationMs: c?.end_to_end_duration ?? 0,
    };
    samples.push(s);
    say(
      `${backend}: ${s.atS} s, ${s.clicks} clicks, checkpoint ${s.stateMb.toFixed(1)} MB state, ${s.writtenMb.toFixed(1)} MB written, ${s.durationMs} ms`,
    );
  };
  const timer = setInterval(() => void sample().catch(() => undefined), opts.sampleEveryS * 1000);
  try {
    while (Date.now() - t0 < opts.seconds * 1000) {
      const due = Math.floor(((Date.now() - t0) / 1000) * opts.rate);
      if (sent >= due) {
        await sleep(20);
        continue;
      }
      const n = Math.min(2000, due - sent);
      const now = Date.now();
      const run = `${backend}-${t0}`;
      await producer.send({
        topic,
        messages: Array.from({ length: n }, (_, i) => ({
          key: `${run}-${sent + i}`,
          value: clickValue(`${run}-${sent + i}`, sent + i, now),
        })),
      });
      sent += n;
    }
    // Drained when a checkpoint after the last send has completed and the CPU is read after it.
    await sleep(3 * config.flink.checkpointIntervalMs + 5000);
    await sample();
  } finally {
    clearInterval(timer);
    await producer.disconnect();
    unregister();
    await rest.cancelJob(jobId);
  }
  const last = samples.at(-1);
  return { backend, clicks: sent, tmUsPerClick: ((last?.tmCpuS ?? 0) * 1e6) / sent, samples };
}
