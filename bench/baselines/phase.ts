/**
 * One baseline run: its HTTP front as a process of its own over one store, the same load and
 * read samples as Tollbooth's, CPU of the front and of the database, and exactness: each ad's
 * stored count against the distinct clicks sent for it (a baseline applies no verdict rules, so
 * the truth it can be held to is "every click once, a resent batch not twice").
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onInterrupt } from '../interrupt.ts';
import { startLoad } from '../load/drive-load.ts';
import { totalsByAd, type LoadPlan } from '../load/ledger.ts';
import { adName } from '../load/workload.ts';
import { backgroundRates, cpuRows, selfReportedRow, systemTotal } from '../measure/cpu-use.ts';
import { readCpu, type Watched } from '../measure/proc-stats.ts';
import { sampleReads } from '../measure/read-latency.ts';
import { BUCKET_MS } from '../options.ts';
import type { SystemResult } from '../result.ts';
import type { PhaseContext } from '../tollbooth/phase.ts';
import type { StoreSpec } from './count-store.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const FRONT = fileURLToPath(new URL('./front-process.ts', import.meta.url));

async function startFront(spec: StoreSpec): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(FRONT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`front for ${spec.kind} exited with ${code}`)));
    child.send(spec);
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stopFront(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

export interface BaselineBackend {
  spec: StoreSpec;
  /** The database's process (its descendants count with it). */
  process: Watched;
}

export async function runBaseline(ctx: PhaseContext, backend: BaselineBackend): Promise<SystemResult> {
  const { opts, say } = ctx;
  const name = backend.spec.kind;
  const front = await startFront(backend.spec);
  const unregister = onInterrupt(() => stopFront(front.child));
  try {
    const watched: Watched[] = [
      { name: `${name} front (Node)`, pid: front.child.pid ?? 0, system: true, shared: false },
      backend.process,
    ];
    const windowMs = BUCKET_MS;
    // The load process boots while the background is measured.
    const started = Date.now() + 6000;
    const plan: LoadPlan = {
      url: front.url,
      startAtMs: started,
      seconds: opts.seconds,
      rate: opts.rate,
      concurrency: opts.concurrency,
      seed: opts.seed,
      runId: ctx.runId,
      windowMs,
      mode: 'stored',
      userAgent: ctx.userAgent,
      ingestKey: null,
    };
    let taken = 0;
    const load = startLoad(plan, (n) => {
      taken = n;
      say(`${name}: ${n.toLocaleString('en-US')} clicks taken`);
    });
    const background = await backgroundRates(watched, 5000);
    await sleep(started - Date.now());
    const before = readCpu(watched);
    const from = started - 3_600_000;
    const onError = (err: unknown) => say(`${name}: read failed: ${String(err).slice(0, 200)}`);
    const [summary, reads] = await Promise.all([
      load.done,
      sampleReads(
        {
          top: () => getJson(`${front.url}/v1/ads/top?from=${from}&to=${Date.now() + 60_000}&limit=10`),
          adClicks: () => getJson(`${front.url}/v1/ads/${adName(1)}/clicks?from=${from}&to=${Date.now() + 60_000}`),
        },
        started,
        started + opts.seconds * 1000,
        opts.readEvery * 1000,
        () => taken,
        onError,
      ),
    ]);
    const after = readCpu(watched);

    const stored = new Map(
      (await getJson<{ ads: Array<{ ad_id: string; clicks: number }> }>(`${front.url}/bench/counts`)).ads.map((a) => [
        a.ad_id,
        a.clicks,
      ]),
    );
    const expected = totalsByAd(summary);
    let wrong = 0;
    let storedTotal = 0;
    for (const ad of new Set([...stored.keys(), ...expected.keys()])) {
      storedTotal += stored.get(ad) ?? 0;
      if ((stored.get(ad) ?? 0) !== (expected.get(ad) ?? 0)) wrong++;
    }
    const sent = [...expected.values()].reduce((a, b) => a + b, 0);
    const seconds = (summary.endedMs - summary.startedMs) / 1000;
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
      system: name,
      cps: summary.taken / seconds,
      countedCps: sent / seconds,
      exact: wrong === 0,
      exactDetail: `${storedTotal} counted vs ${sent} distinct clicks sent; ${wrong} ads differ (${summary.resends} batches resent)`,
      clicksTaken: summary.taken,
      clicksCounted: storedTotal,
      seconds,
      batchLatencyMs: summary.batchLatencyMs,
      failures: summary.failures,
      verdicts: summary.verdicts,
      cpu: rows,
      cpuUsPerClick: total.cpuUsPerClick,
      netCpuUsPerClick: total.netUsPerClick,
      reads,
    };
  } finally {
    unregister();
    await stopFront(front.child);
  }
}
