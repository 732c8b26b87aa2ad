/**
 * The one SQL statement splitter: migration files (ClickHouse and Flink) and the Postgres-wire
 * endpoint's simple queries. It cuts at top-level semicolons, aware of quotes ('', "", ``, with
 * backslash and doubled-quote escapes), `--` and block comments, and keeps a Flink
 * `EXECUTE STATEMENT SET BEGIN ... END` block whole. It only finds boundaries; it never decides
 * what may run.
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
      if (c === '\\')
        i++; // ClickHouse escapes with a backslash inside quotes
      else if (c === quote && next === quote)
        i++; // and with a doubled quote
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
  return joinStatementSets(statements);
}

const STATEMENT_SET = /^EXECUTE\s+STATEMENT\s+SET\s+BEGIN\b/i;

/** Re-joins the pieces of `EXECUTE STATEMENT SET BEGIN ...; ...; END` that the cut separated. */
function joinStatementSets(pieces: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] ?? '';
    if (!STATEMENT_SET.test(piece)) {
      out.push(piece);
      continue;
    }
    const block = [piece];
    while (!/\bEND$/i.test(block[block.length - 1] ?? '') && i + 1 < pieces.length) block.push(pieces[++i] ?? '');
    out.push(block.join(';\n'));
  }
  return out;
}

/** The statements inside an `EXECUTE STATEMENT SET BEGIN ... END` block (its INSERTs). */
export function statementSetBody(block: string): string[] | undefined {
  const match = /^EXECUTE\s+STATEMENT\s+SET\s+BEGIN\b([\s\S]*)\bEND$/i.exec(block.trim());
  if (match === null) return undefined;
  return splitStatements(match[1] ?? '');
}

/** Drops the comment lines in front of a statement (servers differ in what they accept there). */
export function withoutLeadingComments(statement: string): string {
  const lines = statement.split('\n');
  while (lines.length > 0 && /^\s*(--.*)?$/.test(lines[0] ?? '')) lines.shift();
  return lines.join('\n').trim();
}
