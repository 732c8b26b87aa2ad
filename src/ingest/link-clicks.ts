/**
 * The redirect path's clicks. A link click is decided and produced like a batch of one; if
 * Redis or Kafka is down it goes to the durable spool instead, and so does every click after
 * it until the spool has drained, so that clicks reach Kafka in the order they happened.
 * While clicks wait in the spool, heartbeats are held at the first one's time (InFlight), so
 * the windows they belong to stay open until they are written.
 */
import { UnavailableError } from '../shared/errors.ts';
import type { Click } from '../shared/click.ts';
import type { Logger } from '../shared/logger.ts';
import { decideAndProduce, type PipelineDeps } from './pipeline.ts';
import type { Spool } from './spool.ts';

// Retry a stuck spool once a second: the same pace as heartbeats, cheap when Kafka is down.
const DRAIN_RETRY_MS = 1000;

export class LinkClicks {
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private holdHeartbeats: (() => void) | null = null;

  constructor(
    private readonly deps: PipelineDeps,
    private readonly spool: Spool,
    private readonly log: Logger,
  ) {}

  /** Resolves once the click is in Kafka or fsynced in the spool; rejects only if both fail. */
  async record(click: Click): Promise<'sent' | 'spooled'> {
    if (!this.spool.hasBacklog) {
      const done = this.deps.inFlight.begin(click.ts);
      try {
        await decideAndProduce(this.deps, [click], null);
        return 'sent';
      } catch (err) {
        if (!(err instanceof UnavailableError)) throw err;
        this.log.warn({ err: err.message }, 'link click spooled');
      } finally {
        done();
      }
    }
    await this.spool.append(click);
    this.holdHeartbeats ??= this.deps.inFlight.begin(click.ts);
    this.scheduleDrain();
    return 'spooled';
  }

  /** Starts draining what a previous run left, if anything. */
  start(): void {
    if (this.spool.hasBacklog) this.scheduleDrain();
  }

  /** Stops retrying and waits for a drain in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.draining;
  }

  /** Drains now (one pass at a time); resolves when the spool is empty or a pass failed. */
  drain(): Promise<void> {
    this.draining ??= this.drainOnce().finally(() => (this.draining = null));
    return this.draining;
  }

  private scheduleDrain(): void {
    if (this.stopped) return;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.drain().then(() => {
        if (this.spool.hasBacklog) this.scheduleDrain();
      });
    }, DRAIN_RETRY_MS);
  }

  private async drainOnce(): Promise<void> {
    try {
      const n = await this.spool.drain(async (clicks) => {
        await decideAndProduce(this.deps, clicks, null);
      });
      if (n > 0) this.log.info({ clicks: n }, 'spool drained into Kafka');
      if (!this.spool.hasBacklog) {
        this.holdHeartbeats?.();
        this.holdHeartbeats = null;
      }
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'spool drain failed; will retry');
    }
  }
}
