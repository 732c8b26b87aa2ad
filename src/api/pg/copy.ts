/**
 * `COPY (query) TO STDOUT` and `COPY table TO STDOUT`, in text or CSV: what psql's `\copy ... to`
 * sends. Only TO STDOUT: the endpoint is read-only, and the server's files are not the analyst's.
 */
import type { PgNotice } from './messages.ts';
import { isKeyword, type Token } from './tokens.ts';

export interface CopyOptions {
  csv: boolean;
  header: boolean;
  delimiter: string;
  nullText: string;
}

type CopyParse = { ok: true; query: string; options: CopyOptions } | { ok: false; error: PgNotice };

const fail = (message: string): CopyParse => ({
  ok: false,
  error: {
    severity: 'ERROR',
    code: '0A000',
    message,
    hint: "COPY (SELECT ...) TO STDOUT [WITH (FORMAT csv, HEADER)] works; so does psql's \\copy ... to",
  },
});

export function parseCopy(sql: string, tokens: Token[]): CopyParse {
  let i = 1;
  let query: string;
  if (tokens[i]?.kind === 'open') {
    let depth = 0;
    let j = i;
    for (; j < tokens.length; j++) {
      if (tokens[j]?.kind === 'open') depth++;
      if (tokens[j]?.kind === 'close' && --depth === 0) break;
    }
    query = sql.slice(tokens[i]?.end, tokens[j]?.start);
    i = j + 1;
  } else {
    const start = i;
    while (
      tokens[i] &&
      (tokens[i]?.kind === 'word' || tokens[i]?.kind === 'ident' || tokens[i]?.kind === 'dot') &&
      !isKeyword(tokens[i], 'TO')
    )
      i++;
    const table = sql.slice(tokens[start]?.start, tokens[i - 1]?.end);
    let columns = '*';
    if (tokens[i]?.kind === 'open') {
      const close = tokens.findIndex((t, k) => k > i && t.kind === 'close');
      columns = sql.slice(tokens[i]?.end, tokens[close]?.start);
      i = close + 1;
    }
    query = `SELECT ${columns} FROM ${table}`;
  }
  if (!isKeyword(tokens[i], 'TO')) return fail('only COPY ... TO STDOUT is supported');
  if (!isKeyword(tokens[i + 1], 'STDOUT')) return fail('COPY can only write TO STDOUT here');
  const options: CopyOptions = { csv: false, header: false, delimiter: '\t', nullText: '\\N' };
  const rest = tokens
    .slice(i + 2)
    .filter((t) => t.kind !== 'open' && t.kind !== 'close' && t.kind !== 'comma' && !isKeyword(t, 'WITH'));
  for (let k = 0; k < rest.length; k++) {
    const word = rest[k]?.text.toUpperCase();
    const value = rest[k + 1];
    if (word === 'CSV') options.csv = true;
    else if (word === 'BINARY') return fail('COPY in binary format is not supported');
    else if (word === 'FORMAT' && value) {
      k++;
      if (/^binary$/i.test(value.text)) return fail('COPY in binary format is not supported');
      options.csv = /^csv$/i.test(value.text);
    } else if (word === 'HEADER') {
      options.header = !(value && /^(false|off|0)$/i.test(value.text) && ++k);
      if (value && /^(true|on|1)$/i.test(value.text)) k++;
    } else if (word === 'DELIMITER' && value?.kind === 'string') {
      options.delimiter = value.text;
      k++;
    } else if (word === 'NULL' && value?.kind === 'string') {
      options.nullText = value.text;
      k++;
    } else if (word === 'AS') continue;
    else return fail(`COPY option ${rest[k]?.text ?? ''} is not supported`);
  }
  if (options.csv) {
    if (options.delimiter === '\t') options.delimiter = ',';
    if (options.nullText === '\\N') options.nullText = '';
  }
  return { ok: true, query, options };
}

function csvField(v: string, delimiter: string): string {
  return v === '' || v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const TEXT_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One line of COPY output, from the row's text cells. */
export function copyLine(cells: (string | null)[], o: CopyOptions): string {
  const fields = cells.map((c) => {
    if (c === null) return o.nullText;
    if (o.csv) return csvField(c, o.delimiter);
    return c.replace(/[\\\t\n\r]/g, (ch) => TEXT_ESCAPES[ch] ?? ch);
  });
  return `${fields.join(o.delimiter)}\n`;
}
