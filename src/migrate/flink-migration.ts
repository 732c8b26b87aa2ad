/**
 * A Flink job migration (`NNNN_name.flink.sql`): one job's whole SQL, with header lines that say
 * which job it is and how a changed version takes over from the running one:
 *
 *   -- job: clicks_pipeline            (optional; defaults to the file name without its number)
 *   -- on change: savepoint            (state-compatible change: same operators, same keys)
 *   -- on change: offsets from earliest | offsets from 2026-11-29T12:00:00Z
 *   -- on change: rebuild              (new operators: state rebuilt from the earliest offsets,
 *                                       summed outputs only for records the old one had not read)
 *
 * `up` deploys the job; `down` puts back the job's previous migration file, or stops the job
 * with a savepoint when this file was its first.
 */
import { readFileSync } from 'node:fs';
import type { ChangePolicy } from '../flink/deploy.ts';
import type { MigrationFile } from './migration-files.ts';

export interface FlinkMigration {
  job: string;
  policy: ChangePolicy;
  template: string;
}

function header(text: string, key: string): string | undefined {
  const re = new RegExp(`^--\\s*${key}:\\s*(.+?)\\s*$`, 'im');
  return re.exec(text)?.[1];
}

export function parsePolicy(value: string | undefined, where: string): ChangePolicy {
  if (value === 'savepoint') return { restore: 'savepoint' };
  if (value === 'rebuild') return { restore: 'rebuild' };
  const offsets = /^offsets from (earliest|\S+)$/.exec(value ?? '');
  if (offsets !== null) {
    const at = offsets[1] ?? '';
    const fromMs = at === 'earliest' ? 0 : Date.parse(at);
    if (!Number.isNaN(fromMs) && (at === 'earliest' || /(Z|[+-]\d\d:?\d\d)$/.test(at)))
      return { restore: 'offsets', fromMs };
  }
  throw new Error(
    `${where}: header "-- on change:" must be "savepoint", "rebuild" or "offsets from <earliest | ISO-8601 with zone>"`,
  );
}

export function readFlinkMigration(m: MigrationFile): FlinkMigration {
  const template = readFileSync(m.file, 'utf8');
  const where = `migrations/${m.name}.flink.sql`;
  const job = header(template, 'job') ?? m.name.slice(5);
  if (!/^[a-z][a-z0-9_]*$/.test(job)) throw new Error(`${where}: job name "${job}" must be snake_case`);
  return { job, policy: parsePolicy(header(template, 'on change'), where), template };
}

/** The latest migration file of job `name`, up to and excluding `before` when given. */
export function latestJobMigration(all: MigrationFile[], job: string, before?: string): FlinkMigration | undefined {
  const candidates = all
    .filter((m) => m.kind === 'flink' && (before === undefined || m.name < before))
    .map(readFlinkMigration);
  return candidates.filter((f) => f.job === job).at(-1);
}

/**
 * How the last of several versions of one job, applied in one `up`, takes over from the version
 * that ran before them: as the last of them that changed the graph (a rebuild or new offsets),
 * else from a savepoint. 0007 (rebuild) then 0011 (savepoint, same graph as 0009) must rebuild: the
 * savepoint in hand is the older graph's.
 */
export function takeoverPolicy(versions: readonly FlinkMigration[]): ChangePolicy | undefined {
  const last = versions.at(-1);
  return versions.filter((v) => v.policy.restore !== 'savepoint').at(-1)?.policy ?? last?.policy;
}
