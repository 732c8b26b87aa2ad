/**
 * Statements the endpoint answers itself: transaction control, SET, RESET, SHOW of a setting,
 * DISCARD and DEALLOCATE. Drivers send these on their own (pgjdbc and psycopg2 wrap reads in
 * BEGIN/COMMIT, psycopg and asyncpg SET and SHOW settings); ClickHouse has none of them.
 */
import { sqlString } from '../../shared/clickhouse.ts';
import type { PgField, PgNotice } from './messages.ts';
import type { SessionSettings, SetOutcome } from './settings.ts';
import { isKeyword, type Token } from './tokens.ts';
import { TEXT } from './types.ts';

export type TxChange = 'begin' | 'commit' | 'rollback';

interface LocalResult {
  fields: PgField[];
  rows: (string | null)[][];
  tag: string;
  /** ParameterStatus messages to send (a SET of a reported setting). */
  statuses: [string, string][];
  tx?: TxChange;
  deallocate?: string | 'ALL';
}

type LocalOutcome = { ok: true; result: LocalResult } | { ok: false; error: PgNotice };

export interface LocalStatement {
  /** Known before it runs: Describe answers with these. */
  fields: PgField[];
  run(settings: SessionSettings): LocalOutcome;
}

// ClickHouse's own SHOW statements (forwarded); any other `SHOW name` is a Postgres setting.
const CLICKHOUSE_SHOW = new Set(['TABLES', 'DATABASES', 'CREATE', 'PROCESSLIST', 'TEMPORARY', 'DICTIONARIES']);

const done = (tag: string, extra: Partial<LocalResult> = {}): LocalOutcome => ({
  ok: true,
  result: { fields: [], rows: [], tag, statuses: [], ...extra },
});
const text = (t: Token | undefined) => (t === undefined ? '' : t.text);

function fixed(tag: string, extra: Partial<LocalResult> = {}): LocalStatement {
  return { fields: [], run: () => done(tag, extra) };
}

function show(tokens: Token[]): LocalStatement {
  const words = tokens.slice(1).map((t) => t.text.toLowerCase());
  const name = words.join(' ') === 'transaction isolation level' ? 'transaction_isolation' : words.join('');
  if (name === 'all') {
    const fields = [
      { name: 'name', type: TEXT },
      { name: 'setting', type: TEXT },
    ];
    return { fields, run: (s) => ({ ok: true, result: { fields, rows: s.all(), tag: 'SHOW', statuses: [] } }) };
  }
  const fields = [{ name, type: TEXT }];
  return {
    fields,
    run: (s) => {
      const value = s.get(name);
      if (value === undefined)
        return {
          ok: false,
          error: { severity: 'ERROR', code: '42704', message: `unrecognized configuration parameter "${name}"` },
        };
      return { ok: true, result: { fields, rows: [[value]], tag: 'SHOW', statuses: [] } };
    },
  };
}

function set(tokens: Token[]): LocalStatement {
  let i = 1;
  if (isKeyword(tokens[i], 'SESSION') || isKeyword(tokens[i], 'LOCAL')) i++;
  // SET [SESSION CHARACTERISTICS AS] TRANSACTION ...: every transaction here is read-only anyway.
  if (isKeyword(tokens[i], 'TRANSACTION') || isKeyword(tokens[i], 'CHARACTERISTICS')) return fixed('SET');
  let name = text(tokens[i]);
  if (isKeyword(tokens[i], 'TIME') && isKeyword(tokens[i + 1], 'ZONE')) {
    name = 'TimeZone';
    i++;
  }
  const valueStart = isKeyword(tokens[i + 1], 'TO') || tokens[i + 1]?.text === '=' ? i + 2 : i + 1;
  const value = tokens
    .slice(valueStart)
    .map((t) => t.text)
    .join(t0(tokens, valueStart));
  return {
    fields: [],
    run: (s) => applied(isKeyword(tokens[valueStart], 'DEFAULT') ? s.reset(name) : s.set(name, value), 'SET'),
  };
}

const settingError = ({ code, message, hint }: Extract<SetOutcome, { ok: false }>): PgNotice => ({
  severity: 'ERROR',
  code,
  message,
  hint,
});

/** A SET or RESET as Postgres answers it: its tag, or the error naming the setting. */
function applied(outcome: SetOutcome, tag: string): LocalOutcome {
  if (!outcome.ok) return { ok: false, error: settingError(outcome) };
  return done(tag, { statuses: outcome.reported ? [outcome.reported] : [] });
}

/** Values like `ISO, MDY` are joined back with the separators they had. */
function t0(tokens: Token[], from: number): string {
  return tokens.slice(from).some((t) => t.kind === 'comma') ? '' : ' ';
}

/** The local statement these tokens make, or undefined when ClickHouse should answer. */
export function localStatement(tokens: Token[]): LocalStatement | undefined {
  const verb = tokens[0]?.kind === 'word' ? tokens[0].text.toUpperCase() : '';
  switch (verb) {
    case 'BEGIN':
      return fixed('BEGIN', { tx: 'begin' });
    case 'START':
      return fixed('START TRANSACTION', { tx: 'begin' });
    case 'COMMIT':
    case 'END':
      return fixed('COMMIT', { tx: 'commit' });
    case 'ROLLBACK':
    case 'ABORT':
      return fixed('ROLLBACK', { tx: 'rollback' });
    case 'SAVEPOINT':
      return fixed('SAVEPOINT');
    case 'RELEASE':
      return fixed('RELEASE');
    case 'DISCARD':
      return fixed('DISCARD ALL', { deallocate: 'ALL' });
    case 'DEALLOCATE': {
      const name = tokens.find((t, i) => i > 0 && !isKeyword(t, 'PREPARE'));
      return fixed('DEALLOCATE', { deallocate: name === undefined || isKeyword(name, 'ALL') ? 'ALL' : name.text });
    }
    case 'SET':
      return set(tokens);
    case 'RESET':
      return { fields: [], run: (s) => applied(s.reset(text(tokens[1])), 'RESET') };
    case 'SHOW':
      return CLICKHOUSE_SHOW.has(text(tokens[1]).toUpperCase()) ? undefined : show(tokens);
    default:
      return undefined;
  }
}

/**
 * `current_setting('name')` (psql, Grafana, pgjdbc ask for server_version_num) as the setting's
 * literal, and `set_config('name', 'value', local)` (asyncpg turns jit off) as the value it sets.
 */
export function replaceCurrentSetting(
  sql: string,
  tokens: Token[],
  settings: SessionSettings,
): { ok: true; sql: string } | { ok: false; error: PgNotice } {
  let out = sql;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    const fn = t?.kind === 'word' ? t.text.toLowerCase() : '';
    if (!t || (fn !== 'current_setting' && fn !== 'set_config') || tokens[i + 1]?.kind !== 'open') continue;
    const arg = tokens[i + 2];
    const close = tokens.slice(i + 3).find((x) => x.kind === 'close');
    if (arg?.kind !== 'string' || close === undefined) continue;
    const start =
      tokens[i - 2]?.kind === 'word' && tokens[i - 1]?.kind === 'dot' && tokens[i - 2]?.text === 'pg_catalog'
        ? (tokens[i - 2]?.start ?? t.start)
        : t.start;
    let value = settings.get(arg.text);
    const newValue = tokens[i + 4];
    if (fn === 'set_config' && newValue?.kind === 'string') {
      const outcome = settings.set(arg.text, newValue.text);
      if (!outcome.ok) return { ok: false, error: settingError(outcome) };
      value = newValue.text;
    }
    out = `${out.slice(0, start)}${value === undefined ? 'NULL' : sqlString(value)}${out.slice(close.end)}`;
  }
  return { ok: true, sql: out };
}
