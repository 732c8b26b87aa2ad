/**
 * Postgres idioms that tools generate, rewritten into ClickHouse 18.16's dialect on the tokens:
 * Grafana's macros expand to `extract(epoch from t)` and ISO-8601 literals ('...T...Z'), its
 * version check uses `::int`, and `ORDER BY 2` / `GROUP BY 1` mean positions (18.16 would read the
 * constant 2 and not sort). Everything else passes through untouched.
 */
import { isKeyword, type Token } from './tokens.ts';

const CASTS: Record<string, string> = {
  int: 'Int32',
  int4: 'Int32',
  integer: 'Int32',
  int2: 'Int16',
  smallint: 'Int16',
  int8: 'Int64',
  bigint: 'Int64',
  float8: 'Float64',
  float: 'Float64',
  real: 'Float32',
  float4: 'Float32',
  numeric: 'Float64',
  text: 'String',
  varchar: 'String',
  date: 'Date',
  timestamp: 'DateTime',
  timestamptz: 'DateTime',
  bool: 'UInt8',
  boolean: 'UInt8',
};

const ISO_INSTANT = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/;

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The index of the token closing the group opened at `open`. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]?.kind === 'open') depth++;
    if (tokens[i]?.kind === 'close' && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Select-list items (token index ranges) of the SELECT at `select`. */
function selectItems(tokens: Token[], select: number): [number, number][] {
  const items: [number, number][] = [];
  let depth = 0;
  let start = select + 1;
  if (isKeyword(tokens[start], 'DISTINCT')) start++;
  let i = start;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind === 'open') depth++;
    if (t?.kind === 'close' && --depth < 0) break;
    if (depth === 0 && (isKeyword(t, 'FROM') || t?.kind === 'semicolon')) break;
    if (depth === 0 && t?.kind === 'comma') {
      items.push([start, i - 1]);
      start = i + 1;
    }
  }
  items.push([start, i - 1]);
  return items;
}

function depthAt(tokens: Token[], index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i++) {
    if (tokens[i]?.kind === 'open') depth++;
    if (tokens[i]?.kind === 'close') depth--;
  }
  return depth;
}

/** `ORDER BY 2` as the second select item: its alias, else its expression. */
function positionalEdits(sql: string, tokens: Token[]): Edit[] {
  const edits: Edit[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) return;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const depth = depthAt(tokens, i);
    // The clause this number is in: the nearest keyword before it at its own depth.
    const clause = tokens
      .slice(0, i)
      .map((x, k) => [x, k] as const)
      .reverse()
      .find(
        ([x, k]) =>
          x.kind === 'word' &&
          /^(BY|SELECT|WHERE|FROM|HAVING|LIMIT|ON|IN|SETTINGS|VALUES|AND|OR|THEN|WHEN|ELSE)$/i.test(x.text) &&
          depthAt(tokens, k) === depth,
      );
    const inByList =
      clause !== undefined && isKeyword(clause[0], 'BY') && /^(ORDER|GROUP)$/i.test(tokens[clause[1] - 1]?.text ?? '');
    const itemStart = prev !== undefined && (isKeyword(prev, 'BY') || prev.kind === 'comma');
    const ends =
      next === undefined ||
      next.kind === 'comma' ||
      next.kind === 'close' ||
      next.kind === 'semicolon' ||
      (next.kind === 'word' && /^(ASC|DESC|NULLS|LIMIT|HAVING|ORDER|SETTINGS|UNION|WITH|OFFSET)$/i.test(next.text));
    if (!inByList || !itemStart || !ends) return;
    const select = tokens
      .slice(0, i)
      .map((x, k) => [x, k] as const)
      .reverse()
      .find(([x, k]) => isKeyword(x, 'SELECT') && depthAt(tokens, k) === depth)?.[1];
    if (select === undefined) return;
    const [from, to] = selectItems(tokens, select)[Number(t.text) - 1] ?? [];
    if (from === undefined || to === undefined || to < from) return;
    const alias = isKeyword(tokens[to - 1], 'AS') ? tokens[to] : undefined;
    const text = alias
      ? alias.kind === 'ident'
        ? `"${alias.text}"`
        : alias.text
      : sql.slice(tokens[from]?.start, tokens[to]?.end);
    edits.push({ start: t.start, end: t.end, text });
  });
  return edits;
}

export function rewritePostgresIdioms(sql: string, tokens: Token[]): string {
  const edits: Edit[] = positionalEdits(sql, tokens);
  tokens.forEach((t, i) => {
    if (
      t.kind === 'word' &&
      t.text.toLowerCase() === 'extract' &&
      tokens[i + 1]?.kind === 'open' &&
      isKeyword(tokens[i + 2], 'EPOCH') &&
      isKeyword(tokens[i + 3], 'FROM')
    ) {
      const close = closing(tokens, i + 1);
      edits.push({
        start: t.start,
        end: tokens[close]?.end ?? t.end,
        text: `toUnixTimestamp(${sql.slice(tokens[i + 4]?.start, tokens[close]?.start)})`,
      });
    }
    const iso = t.kind === 'string' ? ISO_INSTANT.exec(t.text) : null;
    if (iso) edits.push({ start: t.start, end: t.end, text: `toDateTime('${iso[1]} ${iso[2]}')` });
    if (t.kind === 'op' && t.text === '::' && tokens[i + 1]?.kind === 'word') {
      const type = CASTS[tokens[i + 1]?.text.toLowerCase() ?? ''];
      const prev = tokens[i - 1];
      if (!type || !prev) return;
      let from = i - 1;
      if (prev.kind === 'close') {
        let depth = 0;
        for (; from >= 0; from--) {
          if (tokens[from]?.kind === 'close') depth++;
          if (tokens[from]?.kind === 'open' && --depth === 0) break;
        }
        if (tokens[from - 1]?.kind === 'word') from--; // a function call: f(x)::int
      }
      const array = tokens[i + 2]?.text === '[' && tokens[i + 3]?.text === ']';
      const end = (array ? tokens[i + 3] : tokens[i + 1])?.end ?? t.end;
      edits.push({
        start: tokens[from]?.start ?? prev.start,
        end,
        text: `CAST(${sql.slice(tokens[from]?.start, prev.end)} AS ${array ? `Array(${type})` : type})`,
      });
    }
  });
  // Apply from the end; an edit inside an earlier-applied one is dropped.
  let out = sql;
  let limit = Infinity;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    if (e.end > limit) continue;
    out = `${out.slice(0, e.start)}${e.text}${out.slice(e.end)}`;
    limit = e.start;
  }
  return out;
}
