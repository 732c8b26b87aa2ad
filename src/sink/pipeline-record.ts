/**
 * A record of `pipeline_out`: `{"table": <ClickHouse table>, "row": {<column>: <value>}}`, written
 * by the Flink jobs (docs/messages.md). Decoding is a typed outcome: a record that does not
 * match is dead-lettered by the caller, never a crash and never a retry.
 * Records without `table` are the first job version's format (kind count/closed/late), still
 * read so that a database migrated through 0003 drains cleanly.
 */
import { z } from 'zod';
import type { Decoded } from './decoded.ts';
import { legacyPipelineRow } from './legacy-record.ts';

export type { Decoded, Row } from './decoded.ts';

const scalar = z.union([z.string(), z.number(), z.null()]);
const recordSchema = z.object({
  table: z.string().regex(/^[a-z][a-z0-9_]*$/, 'table must be a snake_case ClickHouse table name'),
  row: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'column names are snake_case'), scalar),
});

export function decodePipelineRecord(value: Buffer | null): Decoded {
  if (value === null) return { ok: false, error: 'empty record' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (typeof json === 'object' && json !== null && !('table' in json) && 'kind' in json) return legacyPipelineRow(json);
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'does not match {table, row}'}`,
    };
  }
  return { ok: true, table: parsed.data.table, row: parsed.data.row };
}
