/** The bench's reads of the stats API (GET /v1/ads/{ad_id}/clicks, /v1/ads/top), typed. */

// A read slower than this is a failure to report, not something to wait for.
const READ_TIMEOUT_MS = 10_000;

export interface Bucket {
  start: string;
  clicks: number;
  final: boolean;
  /** Late clicks of the bucket's minute (absent from APIs that predate the late contract). */
  late?: number;
}

export interface AdClicks {
  ad_id: string;
  buckets: Bucket[];
  total: number;
  late_total?: number;
}

export class StatsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  private async get<T>(pathAndQuery: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, {
      headers: { authorization: `Bearer ${this.key}` },
      signal: AbortSignal.timeout(READ_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`GET ${pathAndQuery}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  }

  /** One ad's minute buckets; `late_total` is 0 when the API does not report it. */
  async adClicks(adId: string, fromMs: number, toMs: number): Promise<Required<AdClicks>> {
    const a = await this.get<AdClicks>(
      `/v1/ads/${encodeURIComponent(adId)}/clicks?from=${fromMs}&to=${toMs}&granularity=minute`,
    );
    return { ...a, late_total: a.late_total ?? 0 };
  }

  async top(fromMs: number, toMs: number, limit: number): Promise<Array<{ ad_id: string; clicks: number }>> {
    return (
      await this.get<{ ads: Array<{ ad_id: string; clicks: number }> }>(
        `/v1/ads/top?from=${fromMs}&to=${toMs}&limit=${limit}`,
      )
    ).ads;
  }
}
