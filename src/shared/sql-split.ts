/**
 * Splits a simple-query string into statements at top-level semicolons. ClickHouse's HTTP
 * interface takes one statement per request, while Postgres clients may send several in one
 * query message (`psql -c 'SELECT 1; SELECT 2'`). This only finds boundaries; it never decides
 * what may run (ClickHouse's readonly profile does that).
 */

type State = 'code' | 'quote' | 'line-comment' | 'block-comment';

/** Statements in order, trimmed; those holding nothing but whitespace and comments are dropped. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let state: State = 'code';
  let quote = ''; // the quote character that opened the current literal or identifier
  let start = 0;
  let hasCode = false;

  const cut = (end: number) => {
    if (hasCode) statements.push(sql.slice(start, end).trim());
    start = end + 1;
    hasCode = false;
  };

  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    const next = sql[i + 1];
    if (state === 'quote') {
      if (c === '\\') i++; // ClickHouse escapes with a backslash inside quotes
      else if (c === quote && next === quote) i++; // and with a doubled quote
      else if (c === quote) state = 'code';
    } else if (state === 'line-comment') {
      if (c === '\n') state = 'code';
    } else if (state === 'block-comment') {
      if (c === '*' && next === '/') {
        state = 'code';
        i++;
      }
    } else if (c === '-' && next === '-') {
      state = 'line-comment';
      i++;
    } else if (c === '/' && next === '*') {
      state = 'block-comment';
      i++;
    } else if (c === ';') {
      cut(i);
    } else if (c !== undefined && !/\s/.test(c)) {
      hasCode = true;
      if (c === "'" || c === '"' || c === '`') {
        state = 'quote';
        quote = c;
      }
    }
  }
  cut(sql.length);
  return statements;
}
