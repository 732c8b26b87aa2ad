/**
 * ClickHouse errors as Postgres errors: the SQLSTATE tells a client what kind of failure it is
 * (a refused write, a typo, a timeout) without parsing the message.
 */
import type { PgNotice } from './messages.ts';

// ClickHouse error codes (dbms/src/Common/ErrorCodes.cpp) to SQLSTATEs.
const BY_CLICKHOUSE_CODE: Record<number, string> = {
  16: '42703', // NO_SUCH_COLUMN_IN_TABLE: undefined_column
  42: '42883', // NUMBER_OF_ARGUMENTS_DOESNT_MATCH: undefined_function
  43: '42804', // ILLEGAL_TYPE_OF_ARGUMENT: datatype_mismatch
  46: '42883', // UNKNOWN_FUNCTION: undefined_function
  47: '42703', // UNKNOWN_IDENTIFIER: undefined_column
  53: '42804', // TYPE_MISMATCH: datatype_mismatch
  60: '42P01', // UNKNOWN_TABLE: undefined_table
  62: '42601', // SYNTAX_ERROR: syntax_error
  81: '3D000', // UNKNOWN_DATABASE: invalid_catalog_name
  158: '54000', // TOO_MANY_ROWS: program_limit_exceeded
  159: '57014', // TIMEOUT_EXCEEDED: query_canceled
  164: '25006', // READONLY: read_only_sql_transaction
  241: '53200', // MEMORY_LIMIT_EXCEEDED: out_of_memory
  291: '42501', // DATABASE_ACCESS_DENIED (file() outside user_files): insufficient_privilege
  396: '54000', // TOO_MANY_ROWS_OR_BYTES: program_limit_exceeded
  497: '42501', // ACCESS_DENIED: insufficient_privilege
};

/** Any other error ClickHouse reports about a statement: syntax_error_or_access_rule_violation. */
const DEFAULT_SQLSTATE = '42000';

/**
 * Parses a ClickHouse error body. 18.16 writes "Code: 164, e.displayText() = DB::Exception: ...,
 * e.what() = DB::Exception"; current releases write "Code: 164. DB::Exception: ... (READONLY)".
 */
export function clickhouseError(body: string): PgNotice {
  const code = Number(/Code: (\d+)/.exec(body)?.[1] ?? NaN);
  const text = /DB::Exception: ([\s\S]*?)(?:, e\.what\(\) = |\s*\(version |$)/.exec(body)?.[1] ?? body;
  return {
    severity: 'ERROR',
    code: BY_CLICKHOUSE_CODE[code] ?? DEFAULT_SQLSTATE,
    message: text.trim() || 'ClickHouse refused the query',
    detail: Number.isNaN(code) ? undefined : `ClickHouse error code ${code}`,
    hint:
      code === 164 ? 'this endpoint is read-only: SELECT, WITH, SHOW, DESCRIBE, EXISTS and EXPLAIN work' : undefined,
  };
}

export function timeoutError(ms: number): PgNotice {
  return { severity: 'ERROR', code: '57014', message: `query cancelled after ${ms} ms (statement timeout)` };
}

export function resultTooLargeError(what: string): PgNotice {
  return {
    severity: 'ERROR',
    code: '54000',
    message: `result too large: ${what}`,
    hint: 'add a LIMIT or aggregate further',
  };
}

export function unavailableError(cause: unknown): PgNotice {
  const why = cause instanceof Error ? cause.message : String(cause);
  return { severity: 'ERROR', code: '58000', message: `ClickHouse is unavailable: ${why}` };
}

export function cancelledError(): PgNotice {
  return { severity: 'ERROR', code: '57014', message: 'canceling statement due to user request' };
}

export function protocolError(message: string): PgNotice {
  return { severity: 'ERROR', code: '08P01', message };
}
