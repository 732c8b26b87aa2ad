/**
 * The reply to one simple-query ('Q') message: each statement in turn, as Postgres does, stopping
 * at the first error; then ReadyForQuery, so the session stays usable after any failure.
 */
import { commandComplete, dataRow, emptyQueryResponse, errorResponse, noticeResponse, readyForQuery, rowDescription, type PgNotice } from './messages.ts';
import type { QueryOutcome, RunStatement } from './query.ts';
import { splitStatements } from '../../shared/sql-split.ts';

// Session and transaction statements that Postgres clients send on their own (drivers set
// extra_float_digits or application_name; tools wrap reads in BEGIN/COMMIT). ClickHouse has no
// session on our HTTP path and nothing to commit on a read-only one, so these are acknowledged
// here instead of failing the client.
const SESSION_TAGS: Record<string, string> = {
  SET: 'SET',
  RESET: 'RESET',
  DISCARD: 'DISCARD ALL',
  BEGIN: 'BEGIN',
  START: 'START TRANSACTION',
  COMMIT: 'COMMIT',
  END: 'COMMIT',
  ROLLBACK: 'ROLLBACK',
};

function sessionReply(sql: string): Buffer[] | undefined {
  const verb = /^([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
  const tag = SESSION_TAGS[verb];
  if (tag === undefined) return undefined;
  const ignored = verb === 'SET' || verb === 'RESET';
  const notice = noticeResponse({
    severity: 'NOTICE',
    code: '00000',
    message: `${verb} is accepted and ignored: every statement runs as its own ClickHouse query`,
    hint: 'put ClickHouse settings in a SETTINGS clause of the query itself',
  });
  return [...(ignored ? [notice] : []), commandComplete(tag)];
}

/** psql's \d commands read pg_catalog, which ClickHouse lacks: say what to type instead. */
function withCatalogHint(sql: string, error: PgNotice): PgNotice {
  if (!/\bpg_catalog\./i.test(sql)) return error;
  return { ...error, message: 'psql\'s \\d commands need pg_catalog, which ClickHouse does not have', hint: 'use SHOW TABLES, DESCRIBE TABLE name, or SELECT ... FROM system.columns' };
}

function encodeOutcome(outcome: Extract<QueryOutcome, { ok: true }>): Buffer[] {
  if (outcome.fields.length === 0) return [commandComplete(outcome.tag)];
  return [rowDescription(outcome.fields), ...outcome.rows.map(dataRow), commandComplete(outcome.tag)];
}

export async function answerSimpleQuery(text: string, run: RunStatement): Promise<Buffer[]> {
  const statements = splitStatements(text);
  if (statements.length === 0) return [emptyQueryResponse(), readyForQuery()];
  const replies: Buffer[] = [];
  for (const sql of statements) {
    const local = sessionReply(sql);
    if (local) {
      replies.push(...local);
      continue;
    }
    const outcome = await run(sql);
    if (!outcome.ok) {
      replies.push(errorResponse(withCatalogHint(sql, outcome.error)));
      break; // Postgres skips the rest of a multi-statement query after an error
    }
    replies.push(...encodeOutcome(outcome));
  }
  replies.push(readyForQuery());
  return replies;
}
