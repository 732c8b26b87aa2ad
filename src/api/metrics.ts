/** The stats API's Prometheus metrics, in a registry of its own so that several apps (tests) share a process. */
import type { ClickHouseClient } from '@clickhouse/client';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../shared/config.ts';
import { newestFinalWindowEnd } from '../shared/final-window.ts';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'tollbooth_api_requests_total',
    help: 'Stats API requests by route pattern and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly querySeconds = new Histogram({
    name: 'tollbooth_api_query_seconds',
    help: 'ClickHouse query latency by query and outcome',
    labelNames: ['query', 'outcome'] as const,
    // Primary-key reads take a few ms; ranking a month of all ads can take seconds (5 s is the cap).
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}

/** Seconds between now and the end of the newest final window: one small ClickHouse read per scrape. */
export function registerFinalWindowGauge(registry: Registry, config: Config, clickhouse: ClickHouseClient): void {
  new Gauge({
    name: 'tollbooth_final_window_behind_seconds',
    help: 'Seconds between now and the end of the newest final window',
    registers: [registry],
    async collect() {
      const end = await newestFinalWindowEnd(config, clickhouse).catch(() => undefined);
      if (end === undefined) this.reset();
      else this.set((Date.now() - end) / 1000);
    },
  });
}
