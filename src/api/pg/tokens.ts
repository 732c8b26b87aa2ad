/**
 * A tokenizer for the SQL that reaches the endpoint, in ClickHouse's lexical rules (backslash
 * escapes in quotes, `"x"` and `` `x` `` identifiers) plus Postgres' `$n` parameters. Every
 * decision the endpoint makes about a statement (its kind, the tables it reads, its depth,
 * where its parameters go) is made on these tokens, never on raw text, so a keyword inside a
 * string or a comment never counts.
 */

type TokenKind =
  'word' | 'ident' | 'string' | 'number' | 'param' | 'op' | 'open' | 'close' | 'comma' | 'dot' | 'semicolon';

export interface Token {
  kind: TokenKind;
  /** The source text; for `ident` the name without its quotes. */
  text: string;
  start: number;
  end: number;
}

/** Tokens, or the offset where the text stops being SQL (an unterminated quote or comment). */
type Tokenized = { ok: true; tokens: Token[] } | { ok: false; at: number; why: string };

const OPERATOR_CHARS = '+-*/%<>=!|&^~?:@#';
const OPEN = '([{';
const CLOSE = ')]}';

function quoteEnd(sql: string, from: number, quote: string): number {
  for (let i = from + 1; i < sql.length; i++) {
    const c = sql[i];
    if (c === '\\') i++;
    else if (c === quote && sql[i + 1] === quote) i++;
    else if (c === quote) return i + 1;
  }
  return -1;
}

function unquote(body: string, quote: string): string {
  return body
    .replace(/\\(.)/gs, '$1')
    .split(quote + quote)
    .join(quote);
}

export function tokenize(sql: string): Tokenized {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number, text = sql.slice(i, end)) => {
    tokens.push({ kind, text, start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) i++;
    else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) return { ok: false, at: i, why: 'unterminated comment' };
      i = close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = quoteEnd(sql, i, c);
      if (end < 0) return { ok: false, at: i, why: 'unterminated quote' };
      push(c === "'" ? 'string' : 'ident', end, unquote(sql.slice(i + 1, end - 1), c));
    } else if (c === '$' && /\d/.test(next)) {
      push('param', i + 1 + (/^\d+/.exec(sql.slice(i + 1))?.[0].length ?? 0));
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(next))) {
      push('number', i + (/^(?:0x[0-9a-f]+|\d*\.?\d*(?:e[+-]?\d+)?)/i.exec(sql.slice(i))?.[0].length ?? 1));
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      push('word', i + (/^[A-Za-z0-9_$\u0080-\uffff]+/.exec(sql.slice(i))?.[0].length ?? 1));
    } else if (OPEN.includes(c)) push('open', i + 1);
    else if (CLOSE.includes(c)) push('close', i + 1);
    else if (c === ',') push('comma', i + 1);
    else if (c === '.') push('dot', i + 1);
    else if (c === ';') push('semicolon', i + 1);
    else {
      let end = i + 1;
      while (end < sql.length && OPERATOR_CHARS.includes(sql[end] ?? '') && !(sql[end] === '-' && sql[end + 1] === '-'))
        end++;
      push('op', end);
    }
  }
  return { ok: true, tokens };
}

/** True for a word token that is this keyword, in any case. */
export function isKeyword(t: Token | undefined, keyword: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text.toUpperCase() === keyword;
}
