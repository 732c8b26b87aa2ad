/**
 * The ingest's Prometheus metrics, in a registry of its own so that several apps (tests) can
 * live in one process.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Decision } from '../dedup/store.ts';
import type { Verdict } from '../shared/verdict.ts';

export type Stage = 'parse' | 'validate' | 'redis' | 'kafka';

export class IngestMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'tollbooth_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly clicks = new Counter({
    name: 'tollbooth_clicks_total',
    help: 'Clicks by verdict (retries included: a retry gets its first verdict again)',
    labelNames: ['verdict'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'tollbooth_rate_limited_total',
    help: 'Clicks first decided rate_limited, by the limit they hit: user (user_id and ip), address_ad or address (anonymous callers); an undercount of people behind one address shows here',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly bodyBytesHeld = new Gauge({
    name: 'tollbooth_ingest_body_bytes_held',
    help: 'Request body bytes held at once across all requests (capped: over the cap a request gets 503)',
    registers: [this.registry],
  });
  readonly writtenMarkFailures = new Counter({
    name: 'tollbooth_written_mark_failures_total',
    help: 'Calls that could not mark acknowledged clicks in Redis (their resends are produced again, then dropped by the engine)',
    registers: [this.registry],
  });
  readonly produceSeconds = new Histogram({
    name: 'tollbooth_kafka_produce_seconds',
    help: 'Time from send to acks=all for one produce request',
    // Loopback acks take about a millisecond; the tail shows retries (100 ms to seconds).
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'tollbooth_batch_size',
    help: 'Items per POST /v1/clicks request',
    // Powers of ten up to the 10,000-click request limit.
    buckets: [1, 10, 100, 1000, 5000, 10000],
    registers: [this.registry],
  });
  readonly stageSeconds = new Histogram({
    name: 'tollbooth_ingest_stage_seconds',
    help: 'Time spent per batch in each pipeline stage (where the time goes)',
    labelNames: ['stage'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  countVerdicts(verdicts: readonly Verdict[]): void {
    const tally = new Map<Verdict, number>();
    for (const v of verdicts) tally.set(v, (tally.get(v) ?? 0) + 1);
    for (const [verdict, n] of tally) this.clicks.inc({ verdict }, n);
  }

  countRateLimits(decisions: readonly Decision[]): void {
    for (const d of decisions) if (d.reason !== null) this.rateLimited.inc({ reason: d.reason });
  }

  /** Times one pipeline stage, whether it succeeds or fails. */
  async time<T>(stage: Stage, step: () => Promise<T> | T): Promise<T> {
    const end = this.stageSeconds.startTimer({ stage });
    try {
      return await step();
    } finally {
      end();
    }
  }
}
