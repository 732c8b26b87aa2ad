/** The stats API's Prometheus metrics, in a registry of its own so that several apps (tests) share a process. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
