/**
 * A steady stream of click batches into the ingest, as real clients send them: every batch that
 * gets no 200 (connection refused, timeout, 503) is sent again until it does, and a few batches
 * are sent twice even after a 200 (a reply lost on the way back). The traffic mixes many ads,
 * click_ids sent again in later batches, second clicks of a user on the same ad in the same
 * window (duplicates), bots, users over the rate limit, and events far behind the watermark
 * (late). The ledger is what the ingest answered: each click_id's verdict, by its event time.
 */
import { seededRandom } from '../../bench/support/random.ts';
import { BROWSER } from '../ingest/harness.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SentClick {
  click_id: string;
  ad_id: string;
  user_id: string;
  ts: number;
  user_agent: string;
}

export interface LoadOptions {
  url: string;
  /** Sent as a Bearer token: an ad server's ingest key, so each click's user_agent counts. */
  ingestKey: string;
  ratePerSecond: number;
  seconds: number;
  seed: number;
  runId: string;
  /** Called once, this many seconds into the load. */
  faultAtSeconds: number;
  onFault: () => Promise<void>;
}

// Four batches a second: a steady stream, and a kill lands between and inside requests.
const BATCH_INTERVAL_MS = 250;
// A client waits this long for a reply before giving up on the request and resending it.
const REQUEST_TIMEOUT_MS = 5000;
// Pause before resending an unanswered batch: 250 ms, doubling up to 4 s, as a well-behaved
// client backs off; a fixed pause turned a Kafka outage into a resend storm that starved the
// machine (hundreds of waiting batches, each resent four times a second).
const RESEND_PAUSE_MS = 250;
const MAX_RESEND_PAUSE_MS = 4000;
// Far behind any watermark (windows are seconds long, grace under a second): surely late.
const LATE_BY_MS = 30_000;
const ADS = Array.from({ length: 60 }, (_, i) => `ad-${String(i).padStart(2, '0')}`);

export interface LoadResult {
  /** click_id -> the verdict the ingest answered first. */
  verdicts: Map<string, string>;
  clicks: Map<string, SentClick>;
  /** Click_ids that got two different verdicts (a resend must get the first one again). */
  conflicts: string[];
  deliberatelyLate: Set<string>;
  requests: number;
  resends: number;
  /** When each request that got no 200 was given up on: how long clicks were refused. */
  refusedAt: number[];
  faultAt: number;
  endedAt: number;
}

type Answer = { results: Array<{ click_id: string | null; status: string }> };

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const rnd = seededRandom(opts.seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const result: LoadResult = {
    verdicts: new Map(),
    clicks: new Map(),
    conflicts: [],
    deliberatelyLate: new Set(),
    requests: 0,
    resends: 0,
    refusedAt: [],
    faultAt: 0,
    endedAt: 0,
  };
  const perBatch = Math.max(1, Math.round((opts.ratePerSecond * BATCH_INTERVAL_MS) / 1000));
  const recent: SentClick[] = [];
  let seq = 0;
  const fresh = (ts: number, over: Partial<SentClick> = {}): SentClick => {
    seq += 1;
    const c = {
      click_id: `${opts.runId}-${seq}`,
      ad_id: pick(ADS),
      user_id: `${opts.runId}-u${seq}`,
      ts,
      user_agent: BROWSER,
      ...over,
    };
    result.clicks.set(c.click_id, c);
    recent.push(c);
    if (recent.length > 200) recent.shift();
    return c;
  };

  const makeBatch = (now: number): SentClick[] => {
    const batch: SentClick[] = [];
    for (let i = 0; i < perBatch; i++) {
      const r = rnd();
      const earlier = recent.length > 0 ? pick(recent) : undefined;
      if (r < 0.03 && earlier)
        batch.push(earlier); // the same click_id again
      else if (r < 0.06 && earlier)
        batch.push(fresh(earlier.ts, { user_id: earlier.user_id, ad_id: earlier.ad_id })); // a duplicate
      else if (r < 0.08) batch.push(fresh(now, { user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }));
      else if (r < 0.1) {
        const late = fresh(now - LATE_BY_MS);
        result.deliberatelyLate.add(late.click_id);
        batch.push(late);
      } else if (r < 0.11) {
        const user = `${opts.runId}-heavy${seq}`;
        for (let k = 0; k < 7; k++) batch.push(fresh(now, { user_id: user })); // over the limit of 5
      } else batch.push(fresh(now));
    }
    return batch;
  };

  const record = (batch: SentClick[], answer: Answer) => {
    answer.results.forEach((r, i) => {
      const id = r.click_id ?? batch[i]?.click_id;
      if (id === undefined) return;
      const before = result.verdicts.get(id);
      if (before === undefined) result.verdicts.set(id, r.status);
      else if (before !== r.status) result.conflicts.push(`${id}: ${before} then ${r.status}`);
    });
  };

  /** Sends until a 200; resolves when answered. */
  const deliver = async (batch: SentClick[]): Promise<void> => {
    const body = JSON.stringify(batch);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        result.resends += 1;
        await sleep(Math.min(RESEND_PAUSE_MS * 2 ** (attempt - 1), MAX_RESEND_PAUSE_MS));
      }
      result.requests += 1;
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.ingestKey}` },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).catch(() => null);
      if (res?.status !== 200) {
        result.refusedAt.push(Date.now());
        await res?.body?.cancel().catch(() => {});
        continue;
      }
      const answer = (await res.json().catch(() => null)) as Answer | null;
      if (answer === null) continue;
      record(batch, answer);
      return;
    }
  };

  const inFlight: Promise<void>[] = [];
  const start = Date.now();
  let faulted = false;
  for (let tick = 0; Date.now() - start < opts.seconds * 1000; tick++) {
    if (!faulted && Date.now() - start >= opts.faultAtSeconds * 1000) {
      faulted = true;
      result.faultAt = Date.now();
      await opts.onFault();
    }
    const batch = makeBatch(Date.now());
    inFlight.push(
      deliver(batch).then(async () => {
        // One batch in twenty: the reply was lost, the client sends it again.
        if (rnd() < 0.05) await deliver(batch);
      }),
    );
    const next = start + (tick + 1) * BATCH_INTERVAL_MS;
    await sleep(Math.max(0, next - Date.now()));
  }
  await Promise.all(inFlight);
  result.endedAt = Date.now();
  return result;
}
