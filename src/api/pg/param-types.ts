/**
 * The Postgres type of each `$n` parameter of a statement: the client's declared type where it
 * sends one; otherwise inferred from the tokens, since asyncpg and pgx encode each value from the
 * ParameterDescription we send. A parameter compared with a column takes the column's type, one
 * in LIMIT or OFFSET is an integer, anything else is text.
 */
import { isKeyword, type Token } from './tokens.ts';
import { INT8, TEXT, TYPES_BY_OID, arrayOf, pgTypeOf, type PgType } from './types.ts';

/** ClickHouse type of a column named in the statement, when known. */
export type ColumnLookup = (column: string) => string | undefined;

const COMPARISONS = new Set(['=', '==', '!=', '<>', '<', '>', '<=', '>=']);

/** The highest `$n` in the statement (0 when it has none). */
function parameterCount(tokens: Token[]): number {
  return tokens.reduce((max, t) => (t.kind === 'param' ? Math.max(max, Number(t.text.slice(1))) : max), 0);
}

/** Tables the statement reads (the name after FROM or JOIN, without its database). */
export function tablesNamed(tokens: Token[]): string[] {
  const names: string[] = [];
  tokens.forEach((t, i) => {
    if (!isKeyword(t, 'FROM') && !isKeyword(t, 'JOIN')) return;
    let j = i + 1;
    if (tokens[j + 1]?.kind === 'dot') j += 2;
    const name = tokens[j];
    if (name && (name.kind === 'word' || name.kind === 'ident')) names.push(name.text);
  });
  return names;
}

const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'ident');

/** The column a parameter at index i is compared with, if any. */
function comparedColumn(tokens: Token[], i: number): string | undefined {
  const before = tokens[i - 1];
  const after = tokens[i + 1];
  if (before?.kind === 'op' && COMPARISONS.has(before.text) && isName(tokens[i - 2])) return tokens[i - 2]?.text;
  if (after?.kind === 'op' && COMPARISONS.has(after.text) && isName(tokens[i + 2])) {
    // `$1 = t.col`: the column is the last name of a dotted chain
    let j = i + 2;
    while (tokens[j + 1]?.kind === 'dot' && isName(tokens[j + 2])) j += 2;
    return tokens[j]?.text;
  }
  // `col [NOT] IN ($1, $2)` and `col BETWEEN $1 AND $2`
  let j = i - 1;
  while (
    j >= 0 &&
    (tokens[j]?.kind === 'comma' ||
      tokens[j]?.kind === 'param' ||
      tokens[j]?.kind === 'open' ||
      isKeyword(tokens[j], 'AND'))
  )
    j--;
  if (isKeyword(tokens[j], 'IN') || isKeyword(tokens[j], 'BETWEEN')) {
    const k = isKeyword(tokens[j - 1], 'NOT') ? j - 2 : j - 1;
    if (isName(tokens[k])) return tokens[k]?.text;
  }
  return undefined;
}

/** `$1::oid[]`, `$1::int8`: the Postgres type a parameter is cast to. */
function castType(tokens: Token[], i: number): PgType | undefined {
  if (tokens[i + 1]?.text !== '::' || tokens[i + 2]?.kind !== 'word') return undefined;
  const name = tokens[i + 2]?.text.toLowerCase() ?? '';
  const scalar = [...TYPES_BY_OID.values()].find((t) => t.name === name && !t.element);
  if (!scalar) return undefined;
  return tokens[i + 3]?.text === '[' && tokens[i + 4]?.text === ']' ? arrayOf(scalar) : scalar;
}

function inferOne(tokens: Token[], n: number, lookup: ColumnLookup): PgType | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== 'param' || t.text !== `$${n}`) continue;
    const cast = castType(tokens, i);
    if (cast) return cast;
    const prev = tokens[i - 1];
    if (
      isKeyword(prev, 'LIMIT') ||
      isKeyword(prev, 'OFFSET') ||
      (prev?.kind === 'comma' && isKeyword(tokens[i - 3], 'LIMIT'))
    )
      return INT8;
    const column = comparedColumn(tokens, i);
    const chType = column === undefined ? undefined : lookup(column);
    if (chType !== undefined) {
      const type = pgTypeOf(chType);
      return type.element ? TEXT : type;
    }
  }
  return undefined;
}

/** One type per parameter $1..$count. */
export function parameterTypes(tokens: Token[], declared: number[], lookup: ColumnLookup): PgType[] {
  const count = Math.max(parameterCount(tokens), declared.length);
  return Array.from({ length: count }, (_, i) => {
    const oid = declared[i] ?? 0;
    if (oid !== 0) return TYPES_BY_OID.get(oid) ?? TEXT;
    return inferOne(tokens, i + 1, lookup) ?? TEXT;
  });
}

/** Whether any parameter needs the column types of the tables the statement reads. */
export function needsColumnTypes(tokens: Token[], declared: number[]): boolean {
  const count = parameterCount(tokens);
  return Array.from({ length: count }, (_, i) => declared[i] ?? 0).some((oid) => oid === 0);
}
