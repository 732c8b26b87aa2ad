/**
 * A Flink job is SQL: table and view declarations, then one `EXECUTE STATEMENT SET BEGIN ... END`.
 * This renders a job's template from the typed config and splits it into the statements the SQL
 * Gateway takes one at a time. A job's version is a hash of its rendered SQL (startup excluded).
 */
import { createHash } from 'node:crypto';
import type { Config } from '../shared/config.ts';
import { splitStatements, statementSetBody, withoutLeadingComments } from '../shared/sql-split.ts';
import { fillTemplate } from '../shared/template.ts';
import { flinkPlaceholders, type ReplayRange, type Startup } from './job-placeholders.ts';

export type { ReplayRange, Startup } from './job-placeholders.ts';

export interface JobSql {
  name: string;
  /** First 12 hex digits of sha256 over the rendered SQL (startup options excluded). */
  hash: string;
  setup: string[];
  inserts: string[];
}

export function assertJobName(name: string): void {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a job name: ${JSON.stringify(name)}`);
}

/** Declarations, and the INSERTs of the statement set that must end the job. */
export function jobStatements(sql: string): { setup: string[]; inserts: string[] } {
  const statements = splitStatements(sql).map(withoutLeadingComments).filter(Boolean);
  const last = statements.at(-1) ?? '';
  const inserts = statementSetBody(last);
  if (inserts === undefined || inserts.length === 0)
    throw new Error('a job must end with EXECUTE STATEMENT SET BEGIN ... END;');
  return { setup: statements.slice(0, -1), inserts: inserts.map(withoutLeadingComments) };
}

/** Renders job `name` from its template for this config (a replay run of it when `replay` is given). */
export function renderJob(
  config: Config,
  name: string,
  template: string,
  startup: Startup = { mode: 'earliest-offset' },
  replay?: ReplayRange,
): JobSql {
  assertJobName(name);
  const identity = fillTemplate(template, flinkPlaceholders(config, name, { mode: 'earliest-offset' }, 'HASH'));
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  return {
    name,
    hash,
    ...jobStatements(fillTemplate(template, flinkPlaceholders(config, name, startup, hash, replay))),
  };
}

/** The Flink job name: `<prefix><name>@<hash>`, so `jobs status` can tell versions apart. */
export const flinkJobName = (config: Config, job: Pick<JobSql, 'name' | 'hash'>) =>
  `${config.kafka.topicPrefix}${job.name}@${job.hash}`;
