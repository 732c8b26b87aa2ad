/**
 * A record of `pipeline_out`: `{"table": <ClickHouse table>, "row": {<column>: <value>}}`, written
 * by the Flink jobs (docs/messages.md). Decoding is a typed outcome: a record that does not
 * match is dead-lettered by the caller, never a crash and never a retry.
 * Records without `table` are the first job version's format (kind count/closed/late), still
 * read so that a database migrated through 0003 drains cleanly.
 */
import type { Decoded, Row } from './decoded.ts';
import { legacyPipelineRow } from './legacy-record.ts';

export type { Decoded, Row } from './decoded.ts';

// Checked by hand, not with zod: a union of scalars made zod build a failed issue for every
// number it tried as a string first, a tenth of the sink's CPU per row.
const NAME = /^[a-z][a-z0-9_]*$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (error: string): Decoded => ({ ok: false, error });

function checkRecord(json: unknown): Decoded {
  if (!isObject(json)) return fail('record: expected an object {"table": …, "row": {…}}');
  const { table, row } = json;
  if (typeof table !== 'string') return fail('table: expected a string');
  if (!NAME.test(table)) return fail('table: table must be a snake_case ClickHouse table name');
  if (!isObject(row)) return fail('row: expected an object of column values');
  for (const [column, value] of Object.entries(row)) {
    if (!NAME.test(column)) return fail(`row.${column}: column names are snake_case`);
    if (value !== null && typeof value !== 'string' && typeof value !== 'number')
      return fail(`row.${column}: expected a string, a number or null`);
  }
  return { ok: true, table, row: row as Row };
}

export function decodePipelineRecord(value: Buffer | null): Decoded {
  if (value === null) return { ok: false, error: 'empty record' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (typeof json === 'object' && json !== null && !('table' in json) && 'kind' in json) return legacyPipelineRow(json);
  return checkRecord(json);
}
