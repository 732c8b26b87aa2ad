/**
 * Tells the verdict store which clicks Kafka acknowledged, off the request's path: marks wait
 * for the call in progress and then go together, so under load one Redis call carries the marks
 * of many batches. A lost mark costs only an extra Kafka copy of a resent click, which the
 * engine's dedup on click_id drops; so a failed call is logged and counted, not retried.
 */
import type { Logger } from '../shared/logger.ts';
import type { VerdictStore, WrittenClick } from '../dedup/store.ts';
import type { IngestMetrics } from './metrics.ts';

export class WrittenMarks {
  private pending: WrittenClick[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: VerdictStore,
    private readonly metrics: IngestMetrics,
    private readonly log: Logger,
  ) {}

  mark(clicks: readonly WrittenClick[]): void {
    if (clicks.length === 0) return;
    this.pending.push(...clicks);
    this.flushing ??= this.flush().finally(() => (this.flushing = null));
  }

  /** Resolves once every mark made so far has been sent (for shutdown and tests). */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const ids = this.pending.splice(0);
      try {
        await this.store.markWritten(ids);
      } catch (err) {
        this.metrics.writtenMarkFailures.inc();
        this.log.warn(
          { err: err instanceof Error ? err.message : String(err), clicks: ids.length },
          'could not mark clicks as written',
        );
      }
    }
  }
}
