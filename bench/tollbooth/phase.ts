/**
 * One Tollbooth run: a prefixed stack, the load through the ingest, freshness probes and read
 * samples through the stats API, CPU of every process from the load's start until every window
 * is final, then the exactness check against the load's ledger.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { percentile, type LoadPlan } from '../load/ledger.ts';
import { startLoad } from '../load/drive-load.ts';
import { adName } from '../load/workload.ts';
import { backgroundRates, cpuRows, selfReportedRow, stackServices, systemTotal } from '../measure/cpu-use.ts';
import { recordTaskManager } from '../measure/jfr.ts';
import { readCpu, type Watched } from '../measure/proc-stats.ts';
import { restartedServices, voidReason } from '../measure/restarts.ts';
import { perClick, readCommandStats } from '../measure/redis-commands.ts';
import { sampleReads } from '../measure/read-latency.ts';
import { BUCKET_MS, type BenchOptions } from '../options.ts';
import type { SystemResult } from '../result.ts';
import { Probes } from './probes.ts';
import { startTollbooth } from './stack.ts';
import { StatsClient } from './stats-client.ts';
import { verifyCounts } from './verify.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PhaseContext {
  opts: BenchOptions;
  runId: string;
  workDir: string;
  /** The checkout whose Tollbooth runs (bench/compare/ sets another one). */
  root: string;
  userAgent: string;
  say: (m: string) => void;
}

// Longest wait for the last window to become final after the load: a window, grace, checkpoints.
const finalDeadlineMs = (windowMs: number) => windowMs + 120_000;
const dist = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p99: percentile(s, 0.99), samples: s.length };
};

// Time for the load process to boot (tsx compiles it) before its start.
const BOOT_MS = 5000;

/** A start time such that the load ends 3 s before a minute ends: the last minute closes soon after. */
function alignedStart(seconds: number, windowMs: number): number {
  const end = Date.now() + BOOT_MS + seconds * 1000 + 3000;
  return Math.ceil(end / windowMs) * windowMs - 3000 - seconds * 1000;
}

export async function runTollbooth(ctx: PhaseContext): Promise<SystemResult> {
  const { opts, say } = ctx;
  const windowMs = BUCKET_MS;
  const profiled = new Set(['ingest', 'sink']);
  const stack = await startTollbooth(
    {
      workDir: ctx.workDir,
      root: ctx.root,
      // A folder per process, default file names: tsx's module hooks run in a thread of their own,
      // which writes a profile too; the main thread's is the large one.
      nodeFlags: (name) =>
        opts.profileDir !== undefined && profiled.has(name)
          ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profileDir, name)}`]
          : [],
    },
    say,
  );
  try {
    const stats = new StatsClient(stack.apiUrl, stack.apiKey);
    const services = stackServices(stack.config.stackDir);
    const watched: Watched[] = [...stack.processes, ...services];
    say('tollbooth: measuring background CPU of the shared services (5 s, no load)');
    const background = await backgroundRates(watched, 5000);
    const started = alignedStart(opts.seconds, windowMs);
    const plan: LoadPlan = {
      url: stack.ingestUrl,
      startAtMs: started,
      seconds: opts.seconds,
      rate: opts.rate,
      concurrency: opts.concurrency,
      seed: opts.seed,
      runId: ctx.runId,
      windowMs,
      mode: 'verdicts',
      userAgent: ctx.userAgent,
      ingestKey: stack.ingestKey,
    };
    let taken = 0;
    const load = startLoad(plan, (n) => {
      taken = n;
      say(`tollbooth: ${n.toLocaleString('en-US')} clicks taken`);
    });
    const redisBefore = await readCommandStats(stack.config);
    await sleep(started - Date.now());
    // --profile: the TaskManager too, over the span the CPU table covers.
    const recording =
      opts.profileDir === undefined
        ? undefined
        : await recordTaskManager(
            services,
            path.join(opts.profileDir, 'taskmanager'),
            opts.seconds + finalDeadlineMs(windowMs) / 1000 + 60,
          );
    const before = readCpu(watched);
    const loadEnd = started + opts.seconds * 1000;
    const probes = new Probes(stack.ingestUrl, stack.ingestKey, stats, ctx.runId, windowMs, ctx.userAgent);
    const rangeFrom = Math.floor(started / windowMs) * windowMs - windowMs;
    const onError = (err: unknown) => say(`tollbooth: read failed: ${String(err).slice(0, 200)}`);
    const [summary, , reads] = await Promise.all([
      load.done,
      probes.run(loadEnd, loadEnd + finalDeadlineMs(windowMs), onError),
      sampleReads(
        {
          top: () => stats.top(rangeFrom, Date.now() + 60_000, 10),
          adClicks: () => stats.adClicks(adName(1), rangeFrom, Date.now() + 60_000),
        },
        started,
        loadEnd,
        opts.readEvery * 1000,
        () => taken,
        onError,
      ),
    ]);
    const allFinalAt = Date.now();
    const after = readCpu(watched);
    if (recording !== undefined) {
      const summaryFile = path.join(path.dirname(recording.file), 'summary.md');
      writeFileSync(summaryFile, `# Flink TaskManager, ${ctx.runId}\n\n${await recording.stop()}\n`);
      say(`tollbooth: TaskManager recording in ${recording.file}, its summary in ${summaryFile}`);
    }
    const redisCommands = perClick(redisBefore, await readCommandStats(stack.config), summary.taken);
    const voided = voidReason(restartedServices(services, stackServices(stack.config.stackDir)), stack.exited());
    if (voided !== undefined) say(`tollbooth: this run is ${voided}`);
    say(
      `tollbooth: ${probes.results.accepted.length} probes, ${probes.neverVisible()} never visible, ${probes.unfinished()} minute(s) not final by the deadline`,
    );

    say("tollbooth: checking every ad's final count against the ledger");
    const ledger = [
      ...summary.counted,
      ...probes.results.accepted.map((p): [string, number, number] => [
        p.adId,
        Math.floor(p.ts / windowMs) * windowMs,
        1,
      ]),
    ];
    const exactness = await verifyCounts(stack.config, stats, ledger, {
      fromMs: rangeFrom,
      toMs: Math.ceil(allFinalAt / windowMs) * windowMs + windowMs,
    });
    const loadSeconds = (summary.endedMs - summary.startedMs) / 1000;
    const counted = summary.counted.reduce((s, [, , n]) => s + n, 0);
    // The wait for the last minute to end is by design, not lag: leave it out of the final rate.
    // The last click was made before loadEnd (later replies carry earlier clicks).
    const lastWindowEnd = Math.ceil(loadEnd / windowMs) * windowMs;
    const finalSeconds =
      (allFinalAt - summary.startedMs - Math.max(0, lastWindowEnd - Math.max(loadEnd, summary.endedMs))) / 1000;
    const rows = [
      ...cpuRows(watched, before, after, summary.taken, background),
      selfReportedRow(
        'load generator (bench)',
        summary.cpuUs,
        summary.peakMb,
        summary.taken,
        summary.endedMs - summary.startedMs,
      ),
    ];
    const total = systemTotal(rows);
    return {
      system: 'tollbooth',
      ...(voided === undefined ? {} : { void: voided }),
      cps: summary.taken / loadSeconds,
      countedCps: counted / loadSeconds,
      finalCps: counted / finalSeconds,
      // Exactness is about the counts; probes that never showed are a freshness failure, reported apart.
      exact: exactness.exact && summary.resendMismatches === 0,
      exactDetail: `${exactness.counted} counted (${exactness.late} late) vs ${exactness.expected} accepted in the ledger; ${exactness.adsWrong} ads and ${exactness.minutesWrong} minutes differ; API read for ${exactness.apiAdsRead} ads: ${exactness.apiWrong} differ from the views, ${exactness.bucketsNotFinal} buckets not final; ${summary.resendMismatches} resent clicks changed verdict${probes.unfinished() > 0 ? `; checked before every minute was final (${probes.unfinished()} not final by the deadline), so missing counts may be lag, not loss` : ''}${exactness.examples.length ? `; e.g. ${exactness.examples.join('; ')}` : ''}`,
      clicksTaken: summary.taken,
      clicksCounted: counted,
      seconds: loadSeconds,
      batchLatencyMs: summary.batchLatencyMs,
      failures: summary.failures,
      verdicts: summary.verdicts,
      visibleMs: { ...dist(probes.results.visibleMs), never: probes.neverVisible() },
      visibleAt: probes.results.visibleAt,
      finalMs: { ...dist([...probes.results.finalMs.values()]), never: probes.unfinished() },
      cpu: rows,
      cpuUsPerClick: total.cpuUsPerClick,
      redisCommandsPerClick: redisCommands,
      netCpuUsPerClick: total.netUsPerClick,
      reads,
    };
  } finally {
    say('tollbooth: stopping its processes, removing its topics, keys, tables and job');
    await stack.stop();
  }
}
