/**
 * Just enough reading of a Postgres catalog query to answer it: its output columns (the select
 * list, with Postgres' naming rules) and the filters tools put in it (a relation name, pattern or
 * OID, a relkind list, a schema). The queries come from psql, pgjdbc and Grafana; they are matched
 * by shape, not executed, so a filter we do not read only makes an answer wider.
 */
import { isKeyword, type Token } from './tokens.ts';

interface OutputColumn {
  /** The name the client sees (unquoted aliases fold to lower case, as in Postgres). */
  name: string;
  /** What to look the value up by: the alias, else the column or function name. */
  key: string;
  /** The value of a literal item (`''`, `false`, `NULL`, `0`), when the item is one. */
  literal?: string | null;
}

/** The tokens of the outermost select list whose FROM reads the catalog (an outer `SELECT *` is skipped). */
function selectList(tokens: Token[]): Token[][] {
  for (let start = 0; start < tokens.length; start++) {
    if (!isKeyword(tokens[start], 'SELECT')) continue;
    const items: Token[][] = [[]];
    let depth = 0;
    let i = start + 1;
    for (; i < tokens.length; i++) {
      const t = tokens[i];
      if (!t) break;
      if (t.kind === 'open') depth++;
      if (t.kind === 'close') depth--;
      if (depth < 0 || (depth === 0 && isKeyword(t, 'FROM'))) break;
      if (depth === 0 && t.kind === 'comma') items.push([]);
      else items[items.length - 1]?.push(t);
    }
    const isStar = items.length === 1 && items[0]?.length === 1 && items[0][0]?.text === '*';
    if (!isStar && !(items.length === 1 && items[0]?.length === 0)) return items;
  }
  return [];
}

function describeItem(item: Token[]): OutputColumn {
  const last = item[item.length - 1];
  const beforeLast = item[item.length - 2];
  const hasAlias = item.length >= 2 && isKeyword(beforeLast, 'AS') && last !== undefined;
  const alias = hasAlias ? last : undefined;
  const body = hasAlias ? item.slice(0, -2) : item;
  const first = body[0];
  let literal: string | null | undefined;
  if (body.length === 1 && first) {
    if (first.kind === 'string' || first.kind === 'number') literal = first.text;
    else if (isKeyword(first, 'NULL')) literal = null;
    else if (isKeyword(first, 'TRUE') || isKeyword(first, 'FALSE')) literal = first.text.toLowerCase()[0] ?? 'f';
  }
  // The column or function the item reads: the last name before an opening parenthesis or the end.
  const open = body.findIndex((t) => t.kind === 'open');
  const named = (open > 0 ? body.slice(0, open) : body).filter((t) => t.kind === 'word' || t.kind === 'ident');
  const source = (named[named.length - 1]?.text ?? (isKeyword(first, 'CASE') ? 'case' : '?column?')).toLowerCase();
  const name = alias
    ? alias.kind === 'ident'
      ? alias.text
      : alias.text.toLowerCase()
    : literal !== undefined
      ? '?column?'
      : source;
  return { name, key: alias ? alias.text.toLowerCase() : source, literal };
}

export function outputColumns(tokens: Token[]): OutputColumn[] {
  return selectList(tokens).map(describeItem);
}

export interface CatalogFilters {
  /** A relation name must match this, when given. */
  relation?: RegExp;
  relationOid?: number;
  /** relkind letters allowed, when the query lists them. */
  relkinds?: string[];
  attribute?: RegExp;
  /** A schema the query asks for; only `public` holds anything. */
  schema?: RegExp;
  /** pg_constraint's contype asked for ('p': primary keys). */
  constraintType?: RegExp;
}

/** A SQL LIKE pattern (with `\\` escapes) as a regular expression. */
function likeToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') out += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function nameFilter(tokens: Token[], column: string): RegExp | undefined {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const t = tokens[i];
    if (!t || t.text.toLowerCase() !== column) continue;
    // psql writes `relname OPERATOR(pg_catalog.~) '^(x)$'`
    const viaOperator = isKeyword(tokens[i + 1], 'OPERATOR');
    // Grafana writes `quote_ident(table_name) = 'x'`: skip the call's closing parenthesis.
    const at = tokens[i + 1]?.kind === 'close' ? i + 1 : i;
    const op = viaOperator ? tokens[at + 5] : tokens[at + 1];
    let value = viaOperator ? tokens[at + 7] : tokens[at + 2];
    if (value?.kind === 'word' && /^E$/i.test(value.text)) value = tokens[viaOperator ? at + 8 : at + 3];
    if (value?.kind !== 'string' || !op) continue;
    if (op.text === '=') return new RegExp(`^${value.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    if (isKeyword(op, 'LIKE')) return likeToRegExp(value.text);
    if (op.text === '~') return new RegExp(value.text);
  }
  return undefined;
}

export function catalogFilters(all: Token[]): CatalogFilters {
  // Only conditions count: the select list holds look-alikes (`CASE n.nspname = 'pg_catalog'`).
  const tokens = all.slice(
    Math.max(
      all.findIndex((t) => isKeyword(t, 'WHERE')),
      0,
    ),
  );
  const filters: CatalogFilters = {
    relation: nameFilter(tokens, 'relname') ?? nameFilter(tokens, 'table_name'),
    attribute: nameFilter(tokens, 'attname'),
    schema: nameFilter(tokens, 'nspname'),
    constraintType: nameFilter(tokens, 'contype'),
  };
  for (let i = 0; i + 2 < tokens.length; i++) {
    const t = tokens[i]?.text.toLowerCase();
    if (
      (t === 'oid' || t === 'attrelid' || t === 'indrelid') &&
      tokens[i - 1]?.kind === 'dot' &&
      tokens[i + 1]?.text === '=' &&
      /^\d+$/.test(tokens[i + 2]?.text ?? '')
    ) {
      filters.relationOid = Number(tokens[i + 2]?.text);
    }
    if (t === 'relkind' && isKeyword(tokens[i + 1], 'IN') && tokens[i + 2]?.kind === 'open') {
      const close = tokens.findIndex((x, k) => k > i + 2 && x.kind === 'close');
      filters.relkinds = tokens
        .slice(i + 3, close)
        .filter((x) => x.kind === 'string')
        .map((x) => x.text);
    }
  }
  return filters;
}
