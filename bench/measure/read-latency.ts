/**
 * Read latency as the data grows: every few seconds during a run, the two reads a dashboard
 * makes (the top ads of the run's range, and the most popular ad's minute buckets) are timed
 * through the system's own HTTP front, next to how many clicks it had taken by then.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadSample {
  /** Seconds since the load started. */
  atS: number;
  clicksSoFar: number;
  topMs: number;
  adMs: number;
}

export interface Reads {
  top(): Promise<unknown>;
  adClicks(): Promise<unknown>;
}

async function timed(read: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await read();
  return performance.now() - t0;
}

/** Samples until `until`; errors are reported and the sample skipped (a slow read is a result). */
export async function sampleReads(
  reads: Reads,
  startedMs: number,
  until: number,
  everyMs: number,
  clicksSoFar: () => number,
  onError: (err: unknown) => void,
): Promise<ReadSample[]> {
  const samples: ReadSample[] = [];
  for (let next = startedMs + everyMs; next < until; next += everyMs) {
    await sleep(Math.max(0, next - Date.now()));
    try {
      const clicks = clicksSoFar();
      const topMs = await timed(() => reads.top());
      const adMs = await timed(() => reads.adClicks());
      samples.push({ atS: Math.round((Date.now() - startedMs) / 1000), clicksSoFar: clicks, topMs, adMs });
    } catch (err) {
      onError(err);
    }
  }
  return samples;
}
