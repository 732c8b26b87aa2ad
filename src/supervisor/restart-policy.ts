/**
 * When to restart a process that died: at once the first time, then with a doubling delay while
 * it keeps dying young; a process that dies again and again is in a crash loop and is left down
 * (reported) for a long pause instead of being restarted in a tight loop.
 */

// A process that stayed up this long was healthy: its next death starts the backoff afresh.
const HEALTHY_AFTER_MS = 60_000;
// 1 s, 2 s, 4 s ... capped at 30 s: quick for a one-off crash, gentle for a flapping one.
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
// Five restarts in three minutes is no longer bad luck: something is broken (config, disk, port).
const LOOP_RESTARTS = 5;
const LOOP_PERIOD_MS = 180_000;
// Then one attempt every five minutes, so a fixed cause heals without a person, and logs stay readable.
const LOOP_PAUSE_MS = 300_000;

export interface RestartHistory {
  /** When each restart of the current run of early deaths happened (epoch ms). */
  restarts: number[];
  /** When the process last came up. */
  upSince: number | undefined;
}

export type RestartDecision = { kind: 'restart'; atMs: number } | { kind: 'crash-loop'; atMs: number };

/** What to do about a process found dead at `now`. */
export function decideRestart(history: RestartHistory, now: number): RestartDecision {
  const livedLong = history.upSince !== undefined && now - history.upSince >= HEALTHY_AFTER_MS;
  const recent = livedLong ? [] : history.restarts.filter((t) => now - t < LOOP_PERIOD_MS);
  if (recent.length >= LOOP_RESTARTS) return { kind: 'crash-loop', atMs: now + LOOP_PAUSE_MS };
  const delay = recent.length === 0 ? 0 : Math.min(BASE_DELAY_MS * 2 ** (recent.length - 1), MAX_DELAY_MS);
  return { kind: 'restart', atMs: now + delay };
}

/** The history after a restart at `now`. */
export function recordRestart(history: RestartHistory, now: number): RestartHistory {
  const livedLong = history.upSince !== undefined && now - history.upSince >= HEALTHY_AFTER_MS;
  const kept = livedLong ? [] : history.restarts.filter((t) => now - t < LOOP_PERIOD_MS);
  return { restarts: [...kept, now], upSince: now };
}
