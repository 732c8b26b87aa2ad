/**
 * The Redis commands a run cost per click, by name, from `INFO commandstats` before and after
 * (Redis 7 counts each command a script runs, EVALSHA itself apart). The shared Redis serves
 * other work too: on a busy box these are an upper bound.
 */
import type { Config } from '../../src/shared/config.ts';
import { createRedis } from '../../src/shared/clients.ts';

/** Calls per command name, from the text of `INFO commandstats`. */
export function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) calls.set(m[1] ?? '', Number(m[2]));
  return calls;
}

/** Calls per click of each command that ran between the two readings, most first. */
export function perClick(
  before: Map<string, number>,
  after: Map<string, number>,
  clicks: number,
): Record<string, number> {
  const rows = [...after]
    .map(([name, n]): [string, number] => [name, (n - (before.get(name) ?? 0)) / Math.max(1, clicks)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(rows.map(([name, n]) => [name, Number(n.toFixed(3))]));
}

export async function readCommandStats(config: Config): Promise<Map<string, number>> {
  const redis = createRedis(config);
  try {
    return parseCommandStats(await redis.info('commandstats'));
  } finally {
    redis.disconnect();
  }
}
