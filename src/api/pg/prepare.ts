/**
 * One statement, from its text to what runs it: answered here (SET, SHOW, BEGIN...), refused
 * (guard.ts), a COPY, or ClickHouse SQL with its parameter types. The same path serves a simple
 * query and a Parse message, so both protocols refuse and accept the same statements.
 */
import { sqlString } from '../../shared/clickhouse.ts';
import { readsCatalog } from './catalog.ts';
import { parseCopy, type CopyOptions } from './copy.ts';
import { rewritePostgresIdioms } from './pg-compat.ts';
import { guardStatement } from './guard.ts';
import { localStatement, replaceCurrentSetting, type LocalStatement } from './local.ts';
import type { PgNotice } from './messages.ts';
import { needsColumnTypes, parameterTypes, tablesNamed, type ColumnLookup } from './param-types.ts';
import type { Literal } from './param-values.ts';
import type { SessionSettings } from './settings.ts';
import { isKeyword, tokenize, type Token } from './tokens.ts';
import {
  BOOL,
  DATE,
  FLOAT4,
  FLOAT8,
  INT2,
  INT4,
  INT8,
  NUMERIC,
  OID,
  TIMESTAMP,
  TIMESTAMPTZ,
  UUID,
  type PgType,
} from './types.ts';

export type Prepared =
  | { kind: 'empty' }
  | { kind: 'local'; local: LocalStatement }
  | { kind: 'refused'; error: PgNotice }
  | { kind: 'clickhouse'; sql: string; tokens: Token[]; paramTypes: PgType[] }
  | { kind: 'catalog'; sql: string; tokens: Token[]; paramTypes: PgType[] }
  | { kind: 'copy'; query: Extract<Prepared, { kind: 'clickhouse' }>; options: CopyOptions };

/** Column types of the named tables, for parameter inference. */
export type LoadColumns = (tables: string[]) => Promise<ColumnLookup>;

const refused = (code: string, message: string, hint?: string): Prepared => ({
  kind: 'refused',
  error: { severity: 'ERROR', code, message, hint },
});

// Words that end an ORDER BY / GROUP BY list.
const CLAUSE_END = new Set(['LIMIT', 'HAVING', 'SETTINGS', 'UNION', 'WITH', 'ORDER', 'FORMAT', 'OFFSET']);

/** A position left after rewriting (`ORDER BY 9` of a 2-item list): 18.16 would read the constant and not sort. */
function positionalReference(tokens: Token[]): string | undefined {
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!(isKeyword(tokens[i], 'ORDER') || isKeyword(tokens[i], 'GROUP')) || !isKeyword(tokens[i + 1], 'BY')) continue;
    let depth = 0;
    let itemStart = true;
    for (let j = i + 2; j < tokens.length; j++) {
      const t = tokens[j];
      if (!t) break;
      if (t.kind === 'open') depth++;
      if (t.kind === 'close' && --depth < 0) break;
      if (depth === 0 && t.kind === 'word' && CLAUSE_END.has(t.text.toUpperCase())) break;
      const next = tokens[j + 1];
      const itemEnds =
        next === undefined ||
        next.kind === 'comma' ||
        next.kind === 'close' ||
        next.kind === 'semicolon' ||
        (next.kind === 'word' && /^(ASC|DESC|NULLS|LIMIT|HAVING|SETTINGS|UNION|WITH|OFFSET)$/i.test(next.text));
      if (itemStart && depth === 0 && t.kind === 'number' && itemEnds)
        return `${tokens[i]?.text.toUpperCase()} BY ${t.text}`;
      itemStart = depth === 0 && t.kind === 'comma';
    }
  }
  return undefined;
}

async function prepareQuery(
  sql: string,
  declared: number[],
  settings: SessionSettings,
  loadColumns: LoadColumns,
): Promise<Prepared> {
  const guarded = guardStatement(sql);
  if (!guarded.ok) return { kind: 'refused', error: guarded.error };
  // Catalog queries (psql's \d, pgjdbc's metadata) are answered here, in Postgres' dialect.
  if (readsCatalog(guarded.tokens))
    return {
      kind: 'catalog',
      sql,
      tokens: guarded.tokens,
      paramTypes: parameterTypes(guarded.tokens, declared, () => undefined),
    };
  const replaced = replaceCurrentSetting(sql, guarded.tokens, settings);
  if (!replaced.ok) return { kind: 'refused', error: replaced.error };
  const withSettings = replaced.sql;
  const settingsLexed = tokenize(withSettings);
  if (!settingsLexed.ok) return refused('42601', settingsLexed.why);
  const rewritten = rewritePostgresIdioms(withSettings, settingsLexed.tokens);
  const lexed = tokenize(rewritten);
  if (!lexed.ok) return refused('42601', lexed.why);
  const positional = positionalReference(lexed.tokens);
  if (positional !== undefined)
    return refused(
      '0A000',
      `${positional}: this position is not one of the select list's items`,
      'name the column or its alias instead',
    );
  // Types from the statement as written: `$1::text[]` says more than the CAST it became.
  const written = settingsLexed.tokens;
  const lookup = needsColumnTypes(written, declared) ? await loadColumns(tablesNamed(written)) : () => undefined;
  return {
    kind: 'clickhouse',
    sql: rewritten,
    tokens: lexed.tokens,
    paramTypes: parameterTypes(written, declared, lookup),
  };
}

/** One statement (already split). `declared` are the parameter type OIDs of a Parse message. */
export async function prepareStatement(
  sql: string,
  declared: number[],
  settings: SessionSettings,
  loadColumns: LoadColumns,
): Promise<Prepared> {
  const lexed = tokenize(sql);
  if (!lexed.ok) return refused('42601', `syntax error at offset ${lexed.at}: ${lexed.why}`);
  if (lexed.tokens.length === 0) return { kind: 'empty' };
  const local = localStatement(lexed.tokens);
  if (local) return { kind: 'local', local };
  if (isKeyword(lexed.tokens[0], 'COPY')) {
    const copy = parseCopy(sql, lexed.tokens);
    if (!copy.ok) return { kind: 'refused', error: copy.error };
    const query = await prepareQuery(copy.query, declared, settings, loadColumns);
    return query.kind === 'clickhouse' ? { kind: 'copy', query, options: copy.options } : query;
  }
  return prepareQuery(sql, declared, settings, loadColumns);
}

/** The statement's SQL with each `$n` replaced by its literal. */
export function bindParameters(
  prepared: { sql: string; tokens: Token[] },
  literals: Literal[],
): { ok: true; sql: string } | { ok: false; error: PgNotice } {
  let out = prepared.sql;
  for (let i = prepared.tokens.length - 1; i >= 0; i--) {
    const t = prepared.tokens[i];
    if (t?.kind !== 'param') continue;
    const n = Number(t.text.slice(1));
    const lit = literals[n - 1];
    if (lit === undefined)
      return { ok: false, error: { severity: 'ERROR', code: '08P01', message: `there is no parameter ${t.text}` } };
    if (!lit.ok) return { ok: false, error: { severity: 'ERROR', code: '22P02', message: lit.message } };
    out = `${out.slice(0, t.start)}${lit.sql}${out.slice(t.end)}`;
  }
  return { ok: true, sql: out };
}

/** A literal of each parameter's type, for describing a statement before its values are known. */
export function placeholder(type: PgType): Literal {
  const sql = (() => {
    if (type.element) return '[]';
    switch (type) {
      case INT2:
      case INT4:
      case INT8:
      case OID:
      case BOOL:
        return '0';
      case FLOAT4:
      case FLOAT8:
      case NUMERIC:
        return '0.5';
      case DATE:
        return "toDate('2000-01-01')";
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return "toDateTime('2000-01-01 00:00:00')";
      case UUID:
        return "toUUID('00000000-0000-0000-0000-000000000000')";
      default:
        return sqlString('');
    }
  })();
  return { ok: true, sql };
}
