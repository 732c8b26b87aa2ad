/**
 * Heartbeats keep event time moving when traffic is idle: every interval, one keyless
 * `{"v":1,"kind":"heartbeat","ts":<wall ms>}` into every partition of `clicks`, each sent to
 * its partition explicitly (a keyless message would otherwise land on just one). Nothing
 * downstream counts them. A failed beat is logged and skipped: the next one carries a newer
 * time anyway, so there is nothing to retry.
 */
import { heartbeatRecords, type Topics } from '../shared/messages.ts';
import type { Logger } from '../shared/logger.ts';
import type { RecordProducer } from './producer.ts';

// Partitions change rarely (an operator adds some); re-reading every 30 s picks them up soon enough.
const PARTITIONS_REFRESH_MS = 30_000;

export interface HeartbeatDeps {
  producer: RecordProducer;
  topics: Topics;
  intervalMs: number;
  partitions: () => Promise<number[]>;
  now: () => number;
  log: Logger;
}

export interface Heartbeats {
  stop(): Promise<void>;
}

export function startHeartbeats(deps: HeartbeatDeps): Heartbeats {
  let known: { ids: number[]; at: number } | null = null;
  let inFlight: Promise<void> | null = null;
  let failing = false;

  const partitions = async (): Promise<number[]> => {
    if (!known || deps.now() - known.at > PARTITIONS_REFRESH_MS)
      known = { ids: await deps.partitions(), at: deps.now() };
    return known.ids;
  };

  const beat = async (): Promise<void> => {
    try {
      const ids = await partitions();
      await deps.producer.send(heartbeatRecords(deps.topics, ids, deps.now()));
      if (failing) deps.log.info('heartbeats flowing again');
      failing = false;
    } catch (err) {
      if (!failing) deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'heartbeat failed');
      failing = true;
      known = null;
    }
  };

  const timer = setInterval(() => {
    // Skip a beat rather than queue one behind a slow one: only the newest time matters.
    inFlight ??= beat().finally(() => (inFlight = null));
  }, deps.intervalMs);

  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
