/**
 * Running a prepared, bound statement: locally or in ClickHouse, with the transaction status
 * rules Postgres clients rely on (a failed transaction block refuses statements until ROLLBACK).
 * The result is raw values plus Postgres fields; encoding as text or binary happens per portal.
 */
import type { LocalStatement, TxChange } from './local.ts';
import type { FormatCode, PgField, PgNotice, TxStatus } from './messages.ts';
import type { RunStatement } from './query.ts';
import type { SessionSettings } from './settings.ts';
import { pgTypeOf } from './types.ts';
import { binaryOf, textOf, ValueOutOfRange, type Cell } from './values.ts';
import type { CopyOptions } from './copy.ts';

export interface Execution {
  fields: PgField[];
  rows: unknown[][];
  /** The command tag without its row count for SELECT ("SELECT", "SET", ...). */
  verb: string;
  statuses: [string, string][];
  tx?: TxChange;
  deallocate?: string;
  copy?: CopyOptions;
}

export type ExecOutcome = { ok: true; execution: Execution } | { ok: false; error: PgNotice };

const ABORTED: PgNotice = {
  severity: 'ERROR',
  code: '25P02',
  message: 'current transaction is aborted, commands ignored until end of transaction block',
};

export async function executeLocal(
  local: LocalStatement,
  settings: SessionSettings,
  status: TxStatus,
): Promise<ExecOutcome> {
  const out = local.run(settings);
  if (!out.ok) return out;
  const r = out.result;
  if (status === 'E' && r.tx === undefined) return { ok: false, error: ABORTED };
  return {
    ok: true,
    execution: {
      fields: r.fields,
      rows: r.rows,
      verb: r.tag,
      statuses: r.statuses,
      tx: r.tx,
      deallocate: r.deallocate,
    },
  };
}

export async function executeClickHouse(
  sql: string,
  run: RunStatement,
  status: TxStatus,
  signal?: AbortSignal,
): Promise<ExecOutcome> {
  if (status === 'E') return { ok: false, error: ABORTED };
  const out = await run(sql, signal);
  if (!out.ok) return out;
  const fields = out.columns.map((c) => ({ name: c.name, type: pgTypeOf(c.type) }));
  return { ok: true, execution: { fields, rows: out.rows, verb: 'SELECT', statuses: [] } };
}

/** The transaction status after a statement: BEGIN opens a block, an error inside one fails it. */
export function nextStatus(status: TxStatus, outcome: ExecOutcome): TxStatus {
  if (!outcome.ok) return status === 'I' ? 'I' : 'E';
  const tx = outcome.execution.tx;
  if (tx === 'begin') return status === 'I' ? 'T' : status;
  if (tx === 'commit' || tx === 'rollback') return 'I';
  return status;
}

/** The command tag Postgres sends for this statement's completion. */
export function commandTag(e: Execution, rows: number): string {
  if (e.copy) return `COPY ${rows}`;
  return e.verb === 'SELECT' ? `SELECT ${rows}` : e.verb;
}

/** One row as cells in the asked formats; a value that does not fit its type is an error naming its column. */
export function encodeRow(
  row: unknown[],
  fields: PgField[],
  formats: FormatCode[],
): { ok: true; cells: Cell[] } | { ok: false; error: PgNotice } {
  const cells: Cell[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (!field) continue;
    try {
      if ((formats[i] ?? 0) === 1) cells.push(binaryOf(row[i], field.type));
      else {
        const t = textOf(row[i], field.type);
        cells.push(t === null ? null : Buffer.from(t, 'utf8'));
      }
    } catch (err) {
      const why = err instanceof ValueOutOfRange ? err.message : String(err);
      return {
        ok: false,
        error: {
          severity: 'ERROR',
          code: '22003',
          message: `column "${field.name}": ${why}`,
          hint: field.type.name === 'int8' ? 'cast the column to String (toString) or Float64 to read it' : undefined,
        },
      };
    }
  }
  return { ok: true, cells };
}
