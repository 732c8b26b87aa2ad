/** The sink's Prometheus metrics: what it wrote, what it dead-lettered, and whether it is stuck. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export class SinkMetrics {
  readonly registry = new Registry();
  readonly rows = new Counter({
    name: 'tollbooth_sink_rows_total',
    help: 'Rows written to ClickHouse by table',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'tollbooth_sink_dead_letters_total',
    help: 'Records ClickHouse refused or that did not match the format, by target table',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });
  readonly outages = new Counter({
    name: 'tollbooth_sink_write_failures_total',
    help: 'Batches that failed because ClickHouse was unavailable (retried)',
    registers: [this.registry],
  });
  readonly lastCommit = new Gauge({
    name: 'tollbooth_sink_last_batch_timestamp_seconds',
    help: 'When the last batch was written',
    registers: [this.registry],
  });
  readonly lag = new Gauge({
    name: 'tollbooth_sink_lag_records',
    help: 'Records of pipeline_out not yet written, per partition',
    labelNames: ['partition'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tollbooth_sink_' });
  }
}
