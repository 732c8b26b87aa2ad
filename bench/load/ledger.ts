/**
 * The load's own ledger: what each system took, by ad and window, from the replies it gave.
 * Tollbooth's replies carry a verdict per click, so its ledger counts the `accepted` ones; a
 * baseline stores what it is sent, so its ledger counts distinct click_ids (resends excluded).
 */
import type { BenchClick } from './workload.ts';

/** What the parent asks a load process to do. */
export interface LoadPlan {
  url: string;
  /** Epoch ms to start at: the process has booted by then, so its start-up is not in the load. */
  startAtMs: number;
  seconds: number;
  /** Clicks per second to aim at; 0: as fast as the system takes them. */
  rate: number;
  concurrency: number;
  seed: number;
  runId: string;
  windowMs: number;
  /** verdicts: count the clicks whose reply status is `accepted`; stored: count every click sent. */
  mode: 'verdicts' | 'stored';
  userAgent: string;
  /** Sent as a Bearer token, as an ad server does (anonymous callers are limited per address); null for a baseline without keys. */
  ingestKey: string | null;
}

export interface LedgerSummary {
  /** [ad_id, window start ms, clicks] */
  counted: Array<[string, number, number]>;
  verdicts: Record<string, number>;
  /** Clicks in batches that got a 200, resends included: what the front took. */
  taken: number;
  batches: number;
  resends: number;
  /** Non-200 replies (each retried until it got a 200). */
  failures: number;
  /** Resent clicks whose verdict differed from the first reply's: must be 0. */
  resendMismatches: number;
  batchLatencyMs: { p50: number; p99: number };
  startedMs: number;
  endedMs: number;
  /** The load process's own CPU µs and peak memory (it exits before the parent could read /proc). */
  cpuUs: number;
  peakMb: number;
}

export class Ledger {
  private readonly counted = new Map<string, Map<number, number>>();
  readonly verdicts: Record<string, number> = {};
  taken = 0;
  batches = 0;
  resends = 0;
  failures = 0;
  resendMismatches = 0;
  readonly latencies: number[] = [];

  constructor(private readonly windowMs: number) {}

  /** Records the reply to a batch sent for the first time. */
  recordFirst(clicks: BenchClick[], statuses: string[] | undefined): void {
    this.batches++;
    this.taken += clicks.length;
    clicks.forEach((c, i) => {
      const status = statuses === undefined ? 'stored' : (statuses[i] ?? 'missing');
      this.verdicts[status] = (this.verdicts[status] ?? 0) + 1;
      if (status === 'accepted' || status === 'stored') this.count(c);
    });
  }

  /** Records the reply to a resend: counts nothing, checks that every verdict came back the same. */
  recordResend(clicks: BenchClick[], first: string[] | undefined, again: string[] | undefined): void {
    this.resends++;
    this.taken += clicks.length;
    if (first === undefined || again === undefined) return;
    for (let i = 0; i < clicks.length; i++) if (first[i] !== again[i]) this.resendMismatches++;
  }

  private count(c: BenchClick): void {
    const window = Math.floor(c.ts / this.windowMs) * this.windowMs;
    let byWindow = this.counted.get(c.ad_id);
    if (byWindow === undefined) this.counted.set(c.ad_id, (byWindow = new Map()));
    byWindow.set(window, (byWindow.get(window) ?? 0) + 1);
  }

  summary(startedMs: number, endedMs: number): LedgerSummary {
    const counted: Array<[string, number, number]> = [];
    for (const [ad, byWindow] of this.counted) for (const [w, n] of byWindow) counted.push([ad, w, n]);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      counted,
      verdicts: this.verdicts,
      taken: this.taken,
      batches: this.batches,
      resends: this.resends,
      failures: this.failures,
      resendMismatches: this.resendMismatches,
      batchLatencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
      startedMs,
      endedMs,
      cpuUs: process.cpuUsage().user + process.cpuUsage().system,
      peakMb: process.resourceUsage().maxRSS / 1024,
    };
  }
}

/** The q-th percentile of sorted values (nearest rank); NaN when there are none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Totals per ad of a ledger summary. */
export function totalsByAd(summary: LedgerSummary): Map<string, number> {
  const out = new Map<string, number>();
  for (const [ad, , n] of summary.counted) out.set(ad, (out.get(ad) ?? 0) + n);
  return out;
}
