/**
 * The migrations folder: `NNNN_name.sql` (ClickHouse), `NNNN_name.flink.sql` (a Flink job) and
 * `NNNN_name.ts` (what SQL cannot say, such as Kafka topics), found by file pattern and run in
 * file-name order. A SQL file has a `-- migrate:up` section and an optional `-- migrate:down`
 * one (dbmate's markers); a Flink file is one job (see flink-migration.ts). Each file's checksum
 * is recorded when it is applied, so an edited applied migration is caught.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { splitStatements, withoutLeadingComments } from '../shared/sql-split.ts';

export type MigrationKind = 'clickhouse' | 'flink' | 'typescript';

export interface MigrationFile {
  /** File name without its extension(s): the name in the migration log. */
  name: string;
  file: string;
  kind: MigrationKind;
  checksum: string;
}

const PATTERN = /^(\d{4})_([a-z0-9_]+)\.(flink\.sql|sql|ts)$/;

function kindOf(ext: string): MigrationKind {
  return ext === 'flink.sql' ? 'flink' : ext === 'sql' ? 'clickhouse' : 'typescript';
}

export function checksumOf(text: string): string {
  // Line endings normalised: a checkout with CRLF is the same migration.
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex').slice(0, 16);
}

/** Every migration of `dir`, in order; a file that looks like one but breaks the pattern is an error. */
export function listMigrations(dir: string): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d/.test(f) && !f.endsWith('.test.ts'))
    .sort();
  const seen = new Map<string, string>();
  return files.map((f) => {
    const match = PATTERN.exec(f);
    if (match === null) throw new Error(`migrations/${f}: expected NNNN_snake_name.sql, .flink.sql or .ts`);
    const number = match[1] ?? '';
    const other = seen.get(number);
    if (other !== undefined) throw new Error(`migrations/${f}: number ${number} is taken by ${other}`);
    seen.set(number, f);
    const file = path.join(dir, f);
    return {
      name: `${number}_${match[2]}`,
      file,
      kind: kindOf(match[3] ?? ''),
      checksum: checksumOf(readFileSync(file, 'utf8')),
    };
  });
}

export interface SqlSections {
  up: string[];
  down: string[];
}

/** The statements of a ClickHouse migration's up and down sections. */
export function sqlSections(text: string, where: string): SqlSections {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const marker = (l: string) => /^--\s*migrate:(up|down)\s*$/.exec(l.trim())?.[1];
  const upAt = lines.findIndex((l) => marker(l) === 'up');
  if (upAt < 0) throw new Error(`${where}: no "-- migrate:up" line`);
  const downAt = lines.findIndex((l) => marker(l) === 'down');
  if (downAt >= 0 && downAt < upAt) throw new Error(`${where}: "-- migrate:down" must come after "-- migrate:up"`);
  // Only the header (comments) may stand above the up section: a statement there would run in
  // neither direction, so it is refused rather than dropped (dbmate's ErrParseUnexpectedStmt).
  const stray = lines.slice(0, upAt).findIndex((l) => !/^\s*(--.*)?$/.test(l));
  if (stray >= 0)
    throw new Error(
      `${where}:${stray + 1}: a statement above "-- migrate:up" belongs to no section; move it below "-- migrate:up" or "-- migrate:down"`,
    );
  const part = (from: number, to: number) =>
    splitStatements(lines.slice(from + 1, to).join('\n'))
      .map(withoutLeadingComments)
      .filter(Boolean);
  return { up: part(upAt, downAt < 0 ? lines.length : downAt), down: downAt < 0 ? [] : part(downAt, lines.length) };
}

/** The next file name for `tollbooth migrate new`. */
export function nextMigrationName(dir: string, name: string, flink: boolean): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name))
    throw new Error(`migration name "${name}": use snake_case letters, digits and _`);
  const last = listMigrations(dir).at(-1)?.name.slice(0, 4) ?? '-001';
  const number = String(Number(last) + 1).padStart(4, '0');
  return `${number}_${name}.${flink ? 'flink.sql' : 'sql'}`;
}
