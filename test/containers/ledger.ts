/**
 * What a compose run must count, and what it counts: every load's first verdict per click_id
 * (the ledger), compared per ad with the final counts read through psql (closed windows plus
 * the late output). Shared by the one-node and the cluster container tests.
 */
import { expect } from 'vitest';
import { eventually } from '../helpers/prefix.ts';
import { psql } from '../pg/psql.ts';
import { runLoad, type LoadResult } from '../faults/load.ts';
import type { ComposeRun } from '../../bench/support/compose.ts';

export class ComposeLedger {
  private readonly ads = new Map<string, string>();
  private readonly accepted = new Set<string>();

  constructor(
    private readonly run: ComposeRun,
    private readonly keys: { all: string; ingest: string },
  ) {}

  get acceptedCount(): number {
    return this.accepted.size;
  }

  /** What each ad must count: its accepted clicks, on time or late. */
  expectedPerAd(): Map<string, number> {
    const want = new Map<string, number>();
    for (const id of this.accepted) {
      const ad = this.ads.get(id) ?? '';
      want.set(ad, (want.get(ad) ?? 0) + 1);
    }
    return want;
  }

  /** A click accepted outside `load` (a probe of the test's own), which the counts include too. */
  addAccepted(clickId: string, adId: string): void {
    this.ads.set(clickId, adId);
    this.accepted.add(clickId);
  }

  /** A steady load of `seconds` at 40 clicks/s into the ingest, `onFault` called mid-way. */
  async load(seconds: number, seed: number, onFault: () => Promise<void> = async () => {}): Promise<LoadResult> {
    const result = await runLoad({
      url: `${this.run.ingestUrl}/v1/clicks`,
      ingestKey: this.keys.ingest,
      ratePerSecond: 40,
      seconds,
      seed,
      runId: `r${seed}`,
      faultAtSeconds: Math.min(4, seconds / 2),
      onFault,
    });
    expect(result.conflicts).toEqual([]);
    for (const [id, verdict] of result.verdicts) {
      const click = result.clicks.get(id);
      if (click === undefined || this.ads.has(id)) continue;
      this.ads.set(id, click.ad_id);
      if (verdict === 'accepted') this.accepted.add(id);
    }
    return result;
  }

  /**
   * Final counts per ad through psql, once every window up to `through` has closed: the final
   * minutes plus the late clicks, each as the product's views count them (a replayed row of
   * `clicks_late` collapses onto its click_id there, as in the stats API).
   */
  async countedPerAd(through: number): Promise<Map<string, number>> {
    const target = { ...this.run.pg, database: 'tollbooth', password: this.keys.all };
    const closed = await psql(target, { sql: 'SELECT toUnixTimestamp(max(window_end)) FROM windows_closed' });
    const closedThrough = Number(closed.stdout.trim()) * 1000;
    // Thrown, not undefined: a timeout then says how far the windows got.
    if (!(closedThrough > through))
      throw new Error(`windows closed through ${closedThrough} (${closed.stderr.trim()}), load ended ${through}`);
    const sql = `SELECT ad_id, sum(n) FROM (
        SELECT ad_id, sum(clicks) AS n FROM ad_clicks_minute GROUP BY ad_id
        UNION ALL SELECT ad_id, sum(late) AS n FROM ad_late_minute GROUP BY ad_id) GROUP BY ad_id`;
    const rows = (await psql(target, { sql })).stdout.trim().split('\n').filter(Boolean);
    return new Map(rows.map((r) => [r.split(',')[0] ?? '', Number(r.split(',')[1])]));
  }

  /** Clicks counted over and under the ledger, once the counts match or a minute has passed. */
  async overUnder(through: number): Promise<{ over: number; under: number; visibleAt: number }> {
    const want = this.expectedPerAd();
    const got = await eventually(
      async () => {
        const counted = await this.countedPerAd(through);
        const same = [...want].every(([ad, n]) => counted.get(ad) === n);
        return same || Date.now() > through + 60_000 ? counted : undefined;
      },
      180_000,
      'final counts',
    ).catch(async (err: unknown) => {
      // No counts at all says little by itself: what each container said last goes with it.
      const logs = await this.run.compose('logs', '--no-color', '--tail', '12').catch((e: Error) => e.message);
      console.error(`final counts never came; the containers' last lines:\n${logs}`);
      throw err;
    });
    const visibleAt = Date.now();
    let over = 0;
    let under = 0;
    for (const ad of new Set([...want.keys(), ...got.keys()])) {
      const d = (got.get(ad) ?? 0) - (want.get(ad) ?? 0);
      if (d > 0) over += d;
      else under -= d;
    }
    return { over, under, visibleAt };
  }
}
