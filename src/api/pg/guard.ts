/**
 * What the endpoint refuses before ClickHouse sees it. ClickHouse 18.16 has no parser depth
 * limit and segfaults on a deep parse tree (1,000 nested parentheses, or a 50,000-term sum, take
 * the server down; 500 levels pass), its `system` database shows every user's queries, and a
 * reader may run any statement its profile does not refuse. So each statement is tokenized and
 * checked here: its size, depth and term count, its kind, escaped identifiers, and the system
 * tables it names.
 */
import type { PgNotice } from './messages.ts';
import { isKeyword, tokenize, type Token } from './tokens.ts';

interface GuardLimits {
  /** Bytes of one statement. */
  maxLength: number;
  /** Nesting of (), [] and {}. */
  maxDepth: number;
  /** Operators in one statement (each binary operator adds a level to ClickHouse's tree). */
  maxOperators: number;
  /** Tokens in one statement. */
  maxTokens: number;
}

const DEFAULT_GUARD: GuardLimits = {
  // 64 KiB: a long hand-written report query is a few KiB; ClickHouse's own max_query_size is 256 KiB.
  maxLength: 64 * 1024,
  // 64 levels: an eighth of the 500 that 18.16 survives; real queries nest fewer than 10.
  maxDepth: 64,
  // 1,000 operators: a fiftieth of the 50,000-term sum that crashed 18.16; a report uses dozens.
  maxOperators: 1_000,
  // 20,000 tokens: room for an IN list of several thousand ids; every token is a parser step.
  maxTokens: 20_000,
};

/** The statement kinds that may run: reads only. */
const ALLOWED_KINDS = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXISTS', 'EXPLAIN']);

/** The system tables an analyst may read; the rest (processes, query_log, ...) show other users' SQL. */
const ALLOWED_SYSTEM_TABLES = new Set(['tables', 'columns', 'databases', 'functions', 'one']);

type GuardOutcome = { ok: true; tokens: Token[] } | { ok: false; error: PgNotice };

const refuse = (code: string, message: string, hint?: string): GuardOutcome => ({
  ok: false,
  error: { severity: 'ERROR', code, message, hint },
});

function tooComplex(what: string): GuardOutcome {
  return refuse(
    '54001',
    `statement too complex: ${what}`,
    'split the query, or use an IN list or arrayJoin instead of long chains',
  );
}

function kindOf(tokens: Token[]): string {
  const first = tokens.find((t) => t.kind !== 'open');
  return first?.kind === 'word' ? first.text.toUpperCase() : '';
}

/** The first system table outside the allowed list that the statement names (`system.x`, any quoting). */
function forbiddenSystemTable(tokens: Token[]): string | undefined {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [db, dot, table] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (db === undefined || dot?.kind !== 'dot' || table === undefined) continue;
    if ((db.kind !== 'word' && db.kind !== 'ident') || db.text.toLowerCase() !== 'system') continue;
    if (!ALLOWED_SYSTEM_TABLES.has(table.text.toLowerCase())) return table.text;
  }
  return undefined;
}

/** Checks one statement (already split at semicolons). */
export function guardStatement(sql: string, limits: GuardLimits = DEFAULT_GUARD): GuardOutcome {
  if (Buffer.byteLength(sql) > limits.maxLength) return tooComplex(`longer than ${limits.maxLength} bytes`);
  const lexed = tokenize(sql);
  if (!lexed.ok) return refuse('42601', `syntax error at offset ${lexed.at}: ${lexed.why}`);
  const { tokens } = lexed;
  // ClickHouse decodes `sys\x74em` to `system`; refusing every escape beats decoding each as it does.
  const escaped = tokens.find((t) => t.kind === 'ident' && sql.slice(t.start, t.end).includes('\\'));
  if (escaped !== undefined)
    return refuse(
      '42602',
      `escaped identifiers are not allowed: ${sql.slice(escaped.start, escaped.end)}`,
      'write the name without backslash escapes',
    );
  if (tokens.length > limits.maxTokens) return tooComplex(`more than ${limits.maxTokens} tokens`);
  let depth = 0;
  let operators = 0;
  for (const t of tokens) {
    if (t.kind === 'open' && ++depth > limits.maxDepth)
      return tooComplex(`nested deeper than ${limits.maxDepth} levels`);
    if (t.kind === 'close') depth--;
    if ((t.kind === 'op' || isKeyword(t, 'AND') || isKeyword(t, 'OR')) && ++operators > limits.maxOperators)
      return tooComplex(`more than ${limits.maxOperators} operators`);
  }
  const kind = kindOf(tokens);
  if (!ALLOWED_KINDS.has(kind)) {
    return refuse(
      '25006',
      `${kind || 'this statement'} is not allowed: this endpoint is read-only`,
      'SELECT, WITH, SHOW, DESCRIBE, EXISTS and EXPLAIN run here',
    );
  }
  if (kind === 'SHOW' && isKeyword(tokens[1], 'PROCESSLIST'))
    return refuse('42501', "SHOW PROCESSLIST is not allowed: it shows other users' queries");
  const table = forbiddenSystemTable(tokens);
  if (table !== undefined) {
    return refuse(
      '42501',
      `reading system.${table} is not allowed`,
      `system.${[...ALLOWED_SYSTEM_TABLES].join(', system.')} are readable`,
    );
  }
  if (tokens.some((t) => isKeyword(t, 'OUTFILE'))) return refuse('42501', 'INTO OUTFILE is not allowed');
  if (tokens.some((t) => isKeyword(t, 'FORMAT')))
    return refuse(
      '0A000',
      'a FORMAT clause is not supported by this endpoint',
      'leave FORMAT out: rows come back as Postgres rows',
    );
  return { ok: true, tokens };
}
