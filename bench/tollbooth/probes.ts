/**
 * Freshness probes: single clicks, each on an ad of its own, posted through the ingest while the
 * load runs. Click-to-visible is from the probe's 200 to the first stats API answer that counts
 * it; window-end-to-final is from a window's end to the first answer that marks its bucket
 * final. Polling every 200 ms bounds the error of both figures to that interval.
 */
import type { StatsClient } from './stats-client.ts';
import { setTimeout as sleep } from 'node:timers/promises';

// Two probes a second: enough samples for a p99 in a few minutes, negligible next to the load.
const PROBE_EVERY_MS = 500;
// The resolution of the latency figures.
const POLL_EVERY_MS = 200;

interface Probe {
  adId: string;
  ts: number;
  acceptedAt: number;
}

export interface ProbeResults {
  visibleMs: number[];
  /** Each probe's event time (epoch ms) and its click-to-visible ms: where in the minute the slow ones were. */
  visibleAt: Array<{ ts: number; ms: number }>;
  /** Window start ms -> ms from its end to the first answer that showed it final. */
  finalMs: Map<number, number>;
  /** Probes the ingest accepted: each is one more click in the ledger, on its own ad. */
  accepted: Probe[];
}

export class Probes {
  private readonly pendingVisible: Probe[] = [];
  /** One probe per window, watched until its bucket is final. */
  private readonly finalWatch = new Map<number, Probe>();
  readonly results: ProbeResults = { visibleMs: [], visibleAt: [], finalMs: new Map(), accepted: [] };
  private seq = 0;

  constructor(
    private readonly ingestUrl: string,
    /** An ad server's ingest key: anonymous callers are limited per address. */
    private readonly ingestKey: string,
    private readonly stats: StatsClient,
    private readonly runId: string,
    private readonly windowMs: number,
    private readonly userAgent: string,
  ) {}

  private async send(): Promise<void> {
    const n = this.seq++;
    const click = {
      click_id: `${this.runId}-probe-${n}`,
      ad_id: `probe-${this.runId}-${n}`,
      user_id: `probe-${this.runId}-${n}`,
      ts: Date.now(),
    };
    const res = await fetch(`${this.ingestUrl}/v1/clicks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': this.userAgent,
        authorization: `Bearer ${this.ingestKey}`,
      },
      body: JSON.stringify(click),
    });
    const reply = (await res.json()) as { results?: Array<{ status: string }> };
    if (res.status !== 200 || reply.results?.[0]?.status !== 'accepted') return;
    const probe = { adId: click.ad_id, ts: click.ts, acceptedAt: Date.now() };
    this.results.accepted.push(probe);
    this.pendingVisible.push(probe);
    this.finalWatch.set(Math.floor(probe.ts / this.windowMs) * this.windowMs, probe);
  }

  private async poll(probe: Probe): Promise<void> {
    const answer = await this.stats.adClicks(probe.adId, probe.ts - this.windowMs, probe.ts + this.windowMs);
    const now = Date.now();
    if (answer.total + answer.late_total >= 1 && this.pendingVisible.includes(probe)) {
      this.results.visibleMs.push(now - probe.acceptedAt);
      this.results.visibleAt.push({ ts: probe.ts, ms: now - probe.acceptedAt });
      this.pendingVisible.splice(this.pendingVisible.indexOf(probe), 1);
    }
    const window = Math.floor(probe.ts / this.windowMs) * this.windowMs;
    if (answer.buckets.some((b) => b.final) && this.finalWatch.get(window) === probe) {
      this.results.finalMs.set(window, now - (window + this.windowMs));
      this.finalWatch.delete(window);
    }
  }

  /** Sends probes until `until`, polling as it goes; then polls until every window is final or `deadline`. */
  async run(until: number, deadline: number, onError: (err: unknown) => void): Promise<void> {
    let nextProbe = Date.now();
    while (Date.now() < deadline && (Date.now() < until || this.pendingVisible.length + this.finalWatch.size > 0)) {
      if (Date.now() >= nextProbe && Date.now() < until) {
        nextProbe += PROBE_EVERY_MS;
        void this.send().catch(onError);
      }
      const watched = new Set([...this.pendingVisible, ...this.finalWatch.values()]);
      await Promise.all([...watched].map((p) => this.poll(p).catch(onError)));
      await sleep(POLL_EVERY_MS);
    }
  }

  /** Windows still waiting for a final answer (none when every count became final). */
  unfinished(): number {
    return this.finalWatch.size;
  }

  /** Probes accepted but never seen in the stats API. */
  neverVisible(): number {
    return this.pendingVisible.length;
  }
}
