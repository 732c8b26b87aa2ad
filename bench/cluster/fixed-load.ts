/**
 * A fixed rate of distinct, valid clicks into an ingest URL with an ingest key: every click a
 * new click_id and user (nothing rate-limited or duplicate), stamped now, in batches of 200. A
 * batch without a 200 is sent again; the accepted count is what the ingest answered.
 */
import { setTimeout as sleep } from 'node:timers/promises';

const BATCH = 200;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

export interface FixedLoadResult {
  sent: number;
  accepted: number;
  resends: number;
}

export async function fixedLoad(opts: {
  url: string;
  ingestKey: string;
  rate: number;
  seconds: number;
  runId: string;
}): Promise<FixedLoadResult> {
  const result: FixedLoadResult = { sent: 0, accepted: 0, resends: 0 };
  const intervalMs = (BATCH / opts.rate) * 1000;
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  let seq = 0;
  for (let tick = 0; Date.now() - started < opts.seconds * 1000; tick++) {
    const now = Date.now();
    const body = JSON.stringify(
      Array.from({ length: BATCH }, () => {
        seq += 1;
        const id = `${opts.runId}-${seq}`;
        return { click_id: id, ad_id: `ad-${seq % 100}`, user_id: `u-${id}`, ts: now, user_agent: BROWSER };
      }),
    );
    result.sent += BATCH;
    const p = send(opts, body, result).finally(() => inFlight.delete(p));
    inFlight.add(p);
    await sleep(Math.max(0, started + (tick + 1) * intervalMs - Date.now()));
  }
  await Promise.all(inFlight);
  return result;
}

async function send(opts: { url: string; ingestKey: string }, body: string, result: FixedLoadResult): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      result.resends += 1;
      await sleep(Math.min(250 * 2 ** attempt, 4000));
    }
    const res = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.ingestKey}` },
      body,
      signal: AbortSignal.timeout(10_000),
    }).catch(() => null);
    if (res?.status !== 200) {
      await res?.body?.cancel().catch(() => {});
      continue;
    }
    const answer = (await res.json()) as { accepted: number };
    result.accepted += answer.accepted;
    return;
  }
}
