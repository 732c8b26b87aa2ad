/**
 * Drives a generated stream through a test pipeline, round by round, so that which click is on
 * time and which is late is certain: stragglers arrive while their window is provably open,
 * late clicks only after ClickHouse shows their window closed.
 */
import { seededRandom } from '../../bench/support/random.ts';
import { REJECTED_VERDICTS as VERDICTS } from '../../src/shared/verdict.ts';
import { heartbeat, Ledger } from './ledger.ts';
import { eventually } from './prefix.ts';
import type { TestPipeline } from './pipeline.ts';
import { topicNames, type Message } from '../../src/shared/messages.ts';
import { toDateTime } from '../../src/shared/clickhouse.ts';

export interface ScenarioOptions {
  rounds: number;
  ads: string[];
  /** Event time of the first window's start (aligned to the window size). */
  t0: number;
  seed: number;
  /** Called after a round's clicks are sent (a fault test kills something here). */
  afterRound?: (round: number) => Promise<void>;
}

export async function runScenario(p: TestPipeline, opts: ScenarioOptions): Promise<Ledger> {
  const W = p.config.pipeline.windowSeconds * 1000;
  const G = p.config.pipeline.graceMs;
  const topics = topicNames(p.config);
  const ledger = new Ledger(W, `s${opts.seed}`);
  const rnd = seededRandom(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo));
  const send = async (topic: string, messages: Message[]) => {
    const shuffled = messages
      .map((m) => ({ m, k: rnd() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.m);
    await p.producer.send({
      topic,
      messages: shuffled.map((m) => ({ key: 'click_id' in m ? m.click_id : null, value: JSON.stringify(m) })),
    });
  };
  const heartbeats = async (ts: number) => {
    const partitions = [...Array(p.config.kafka.partitions).keys()];
    await p.producer.send({
      topic: topics.clicks,
      messages: partitions.map((partition) => ({ partition, value: JSON.stringify(heartbeat(ts)) })),
    });
  };
  const waitClosed = (windowStart: number) =>
    eventually(
      async () => {
        const rows = await p.rows<{ n: string }>(
          `SELECT count() AS n FROM ${p.config.clickhouse.database}.windows_closed WHERE window_start >= '${toDateTime(windowStart)}'`,
        );
        return Number(rows[0]?.n) > 0 ? true : undefined;
      },
      90_000,
      `window ${toDateTime(windowStart)} to close`,
    );
  const sendLate = async (windowStart: number) => {
    const late = opts.ads.slice(0, 2).flatMap((ad) => {
      const click = ledger.lateClick(ad, between(windowStart, windowStart + W));
      return [click, click]; // a resent late click is still one late click
    });
    await send(topics.clicks, late);
  };

  for (let r = 0; r < opts.rounds; r += 1) {
    const start = opts.t0 + r * W;
    // 1. Stragglers of the previous window, with early clicks of this one: the watermark is
    //    at most start + G/2 - G, so the previous window is still open.
    const early = opts.ads.map((ad) => ledger.onTimeClick(ad, between(start, start + G / 2)));
    const stragglers = r === 0 ? [] : opts.ads.slice(1).map((ad) => ledger.onTimeClick(ad, between(start - W, start)));
    await send(topics.clicks, [...early, ...stragglers]);
    // 2. The body of the window, then the same clicks again (client retries reuse click_ids).
    const body = opts.ads.flatMap((ad) =>
      Array.from({ length: between(1, 6) }, () => ledger.onTimeClick(ad, between(start + G / 2, start + W))),
    );
    await send(topics.clicks, body);
    await send(
      topics.clicks,
      body.filter(() => rnd() < 0.3),
    );
    await send(
      topics.rejected,
      opts.ads.map((ad) => ledger.rejectedClick(ad, between(start, start + W), pick(VERDICTS))),
    );
    await opts.afterRound?.(r);
    // 3. Move every partition's watermark past the previous window (with room for a job version
    //    whose grace is up to twice as long); then the previous window's late clicks.
    await heartbeats(start + 2 * G + 1);
    if (r > 0) {
      await waitClosed(start - W);
      await sendLate(start - W);
    }
  }
  const end = opts.t0 + opts.rounds * W;
  await heartbeats(end + 2 * G + 1);
  await waitClosed(end - W);
  await sendLate(end - W);
  return ledger;
}
