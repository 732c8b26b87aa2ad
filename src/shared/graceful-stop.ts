/**
 * Graceful shutdown for our servers: one `stop` that runs the given steps once (stop accepting,
 * finish in-flight work, flush, close clients), a deadline after which the process exits
 * regardless, and optionally SIGTERM/SIGINT wired to it.
 */
import type { Logger } from './logger.ts';

export interface GracefulStop {
  stop(): Promise<void>;
  /** Resolves after the steps have run. */
  closed: Promise<void>;
}

export function gracefulStop(opts: {
  name: string;
  log: Logger;
  deadlineMs: number;
  steps: () => Promise<void>;
  handleSignals: boolean;
}): GracefulStop {
  const { name, log } = opts;
  let stopping: Promise<void> | null = null;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const deadline = setTimeout(() => {
        log.error(`${name}: shutdown deadline passed; exiting`);
        process.exit(1);
      }, opts.deadlineMs);
      await opts.steps();
      clearTimeout(deadline);
      log.info(`${name} stopped`);
      resolveClosed();
    })();
    return stopping;
  };
  if (opts.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        log.info({ signal }, `${name}: shutting down`);
        void stop();
      });
    }
  }
  return { stop, closed };
}
