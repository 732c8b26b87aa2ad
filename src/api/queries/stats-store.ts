/**
 * The one interface through which the stats API reads counts. The ClickHouse implementation
 * (clickhouse-stats.ts) holds every query; route tests use a fake.
 */
import type { Scope } from '../auth/scope.ts';
import type { Granularity } from '../params.ts';
import type { RejectedVerdict } from '../../shared/verdict.ts';

/** [fromMs, toMs): epoch milliseconds. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export interface Bucket {
  /** Epoch ms of the bucket's start (UTC-aligned minute or hour). */
  startMs: number;
  /** On-time clicks (final or provisional). */
  clicks: number;
  /** Late clicks whose own event time falls in the bucket. */
  late: number;
  final: boolean;
}

export interface AdClicks {
  ad_id: string;
  clicks: number;
}

export interface AdLate {
  ad_id: string;
  late: number;
}

export { REJECTED_VERDICTS, type RejectedVerdict } from '../../shared/verdict.ts';
export type RejectedCounts = Record<RejectedVerdict, number>;

export interface StatsStore {
  /** Buckets of one ad with at least one on-time or late click, oldest first. */
  clicks(adId: string, granularity: Granularity, range: TimeRange): Promise<Bucket[]>;
  /** The ads in scope with the most clicks in the range, most first. */
  top(range: TimeRange, limit: number, scope: Scope): Promise<AdClicks[]>;
  rejected(adId: string, range: TimeRange): Promise<RejectedCounts>;
  /** Ads in scope with late clicks whose own event time is in the range, most first. */
  late(range: TimeRange, scope: Scope): Promise<AdLate[]>;
  /**
   * Does the ad belong to these campaigns? Yes iff it has recorded clicks naming a campaign and
   * every one of them names one of these. Strict on purpose: a single click naming a foreign
   * campaign denies access rather than grants it. Clicks naming none (anonymous ones) do not
   * count either way, so an anonymous click cannot lock a campaign's key out of its ad.
   */
  adInCampaigns(campaigns: readonly string[], adId: string): Promise<boolean>;
  /** Throws if ClickHouse cannot answer. */
  ping(): Promise<void>;
}
