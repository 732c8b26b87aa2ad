/**
 * Ctrl-C or SIGTERM in the middle of a run still stops what the bench started and removes what
 * it created: each phase registers its clean-up here while it runs.
 */
const cleanups = new Set<() => Promise<void>>();

/** Registers a clean-up for an interrupt; returns the function that unregisters it. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export function handleInterrupts(say: (m: string) => void): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: cleaning up what the bench started`);
    void (async () => {
      for (const c of [...cleanups].reverse())
        await c().catch((err: unknown) => say(`clean-up failed: ${String(err)}`));
      process.exit(130);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
