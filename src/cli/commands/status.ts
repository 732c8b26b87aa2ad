/** `tollbooth status [--json]`: health on one screen; exit 0 when healthy, 1 when not. */
import type { Config } from '../../shared/config.ts';
import { readStatus, type Status } from '../../status/snapshot.ts';
import { flag, type Invocation } from '../args.ts';

const mb = (b: number | undefined) => (b === undefined ? '-' : `${Math.round(b / 1048576)} MB`);
const ago = (at: number, ms: number | undefined) =>
  ms === undefined ? 'never' : `${((at - ms) / 1000).toFixed(1)} s ago`;

function render(s: Status): string {
  const lines: string[] = [];
  lines.push(s.health.healthy ? 'HEALTHY' : `NOT HEALTHY: ${s.health.problems.join('; ')}`, '');
  for (const sv of s.supervisors)
    lines.push(
      `supervisor (${sv.scope}): ${sv.pid === undefined ? 'not running' : `pid ${sv.pid}, up since ${new Date(sv.startedAt ?? 0).toISOString()}`}`,
    );
  lines.push('', 'process              state        pid      restarts  memory');
  for (const p of s.processes)
    lines.push(
      `${p.name.padEnd(20)} ${p.state.padEnd(12)} ${String(p.pid ?? '-').padEnd(8)} ${String(p.restarts).padEnd(9)} ${mb(p.rssBytes)}`,
    );
  lines.push('', 'job                  wanted    state        last checkpoint');
  for (const j of s.jobs)
    lines.push(`${j.name.padEnd(20)} ${j.wanted.padEnd(9)} ${j.state.padEnd(12)} ${ago(s.at, j.lastCheckpointAt)}`);
  lines.push('', 'consumer lag');
  for (const l of s.lag) lines.push(`  ${l.group} on ${l.topic}: ${l.lag ?? 'unknown'}`);
  const behind = s.health.finalWindowBehindMs;
  lines.push(
    '',
    `newest final window: ${s.newestFinalWindowEnd === undefined ? 'none' : `${new Date(s.newestFinalWindowEnd).toISOString()} (${((behind ?? 0) / 1000).toFixed(1)} s behind now; bound ${(s.health.finalWindowBoundMs / 1000).toFixed(1)} s)`}`,
  );
  lines.push(`dead letters: ${s.deadLetters ?? 'no dead-letter table'}`);
  return lines.join('\n');
}

export async function run(inv: Invocation, config: Config): Promise<number> {
  const status = await readStatus(config);
  console.log(flag(inv, 'json') ? JSON.stringify(status, null, 2) : render(status));
  return status.health.healthy ? 0 : 1;
}
