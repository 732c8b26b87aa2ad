/**
 * A bench run during which a service restarted is void: the restarted process's CPU lands on
 * whoever reaped it (the supervisor), and the run measured a crash and a recovery, not the load.
 */
import type { Watched } from './proc-stats.ts';

/** The services whose pid changed or vanished between two readings of the stack's pid files. */
export function restartedServices(before: readonly Watched[], after: readonly Watched[]): string[] {
  const now = new Map(after.map((w) => [w.name, w.pid]));
  return before.flatMap((w) => {
    const pid = now.get(w.name);
    if (pid === undefined) return [`${w.name} (pid ${w.pid}) stopped`];
    return pid === w.pid ? [] : [`${w.name} restarted (pid ${w.pid} → ${pid})`];
  });
}

/** Why a run is void, or undefined when nothing restarted or exited. */
export function voidReason(restarted: readonly string[], exited: readonly string[]): string | undefined {
  const all = [...restarted, ...exited];
  return all.length === 0 ? undefined : `void: during the run ${all.join('; ')}`;
}
