/**
 * The session's Postgres settings: what drivers read at startup (ParameterStatus), with SHOW and
 * current_setting(), and change with SET. None reaches ClickHouse: each statement is its own
 * ClickHouse query, and ClickHouse settings belong in the reader's profile, so a SET of a name
 * not listed here (`readonly`, `max_execution_time`) is an error, never a pretended change.
 */

// What drivers check: psycopg2 needs client_encoding, pgx's simple mode standard_conforming_strings,
// node-postgres and pgjdbc integer_datetimes, every client server_version.
export const SERVER_VERSION = '15.0 (Tollbooth, ClickHouse dialect)';

const REPORTED = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'standard_conforming_strings',
  'DateStyle',
  'TimeZone',
  'integer_datetimes',
  'application_name',
  'IntervalStyle',
  'is_superuser',
  'session_authorization',
];

const DEFAULTS: Record<string, string> = {
  server_version: SERVER_VERSION,
  server_version_num: '150000',
  server_encoding: 'UTF8',
  client_encoding: 'UTF8',
  standard_conforming_strings: 'on',
  datestyle: 'ISO, MDY',
  timezone: 'UTC',
  integer_datetimes: 'on',
  application_name: '',
  intervalstyle: 'postgres',
  is_superuser: 'off',
  session_authorization: '',
  extra_float_digits: '1',
  search_path: '"$user", public',
  transaction_isolation: 'read committed',
  default_transaction_isolation: 'read committed',
  transaction_read_only: 'on',
  default_transaction_read_only: 'on',
  statement_timeout: '30s',
  lock_timeout: '0',
  idle_in_transaction_session_timeout: '0',
  lc_messages: 'C',
  lc_monetary: 'C',
  lc_numeric: 'C',
  lc_time: 'C',
  max_identifier_length: '63',
  bytea_output: 'hex',
  max_index_keys: '32',
  jit: 'off',
};

/** Settings whose value must stay as it is: results are always UTF-8 and times always UTC. */
const FIXED: Record<string, RegExp> = {
  client_encoding: /^(utf-?8|unicode)$/i,
  timezone: /^(utc|etc\/utc|gmt|z|zulu|\+?0+|'?utc'?)$/i,
  standard_conforming_strings: /^on$/i,
  datestyle: /^iso/i,
  integer_datetimes: /^on$/i,
  server_encoding: /^utf-?8$/i,
  server_version: /^$/,
};

export type SetOutcome =
  { ok: true; reported?: [string, string] } | { ok: false; code: string; message: string; hint?: string };

const unknownSetting = (name: string): SetOutcome => ({
  ok: false,
  code: '42704',
  message: `unrecognized configuration parameter "${name}"`,
  hint: "ClickHouse settings cannot be changed here: the reader's profile sets them",
});

export class SessionSettings {
  private readonly values = new Map<string, string>(Object.entries(DEFAULTS));

  constructor(startup: Record<string, string>) {
    // A startup parameter this endpoint does not know is left out, as a driver's extras should be.
    for (const [k, v] of Object.entries(startup))
      if (!['user', 'database', 'options', 'replication'].includes(k)) this.set(k, v);
    // The name the client connected to: catalog answers (pgjdbc's getCatalogs) repeat it.
    this.values.set('current_database', startup.database ?? startup.user ?? 'tollbooth');
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  /** A harmless setting changes; an unknown one, or one we cannot honour (another encoding, zone), is an error. */
  set(name: string, value: string): SetOutcome {
    const key = name.toLowerCase();
    if (!Object.hasOwn(DEFAULTS, key)) return unknownSetting(name);
    const fixed = FIXED[key];
    if (fixed && !fixed.test(value.trim()))
      return { ok: false, code: '22023', message: `${name} cannot be changed here (it stays ${DEFAULTS[key] ?? ''})` };
    if (!fixed) this.values.set(key, value);
    const reported = REPORTED.find((r) => r.toLowerCase() === key);
    return { ok: true, reported: reported === undefined ? undefined : [reported, this.values.get(key) ?? value] };
  }

  /** Back to its default (`ALL`: every one); an unknown name is an error, as in SET. */
  reset(name: string): SetOutcome {
    const key = name.toLowerCase();
    if (key === 'all') for (const [k, v] of Object.entries(DEFAULTS)) this.values.set(k, v);
    else if (Object.hasOwn(DEFAULTS, key)) this.values.set(key, DEFAULTS[key] ?? '');
    else return unknownSetting(name);
    return { ok: true };
  }

  /** The ParameterStatus messages of startup, as [name, value]. */
  reported(): [string, string][] {
    return REPORTED.map((name) => [name, this.values.get(name.toLowerCase()) ?? '']);
  }

  all(): [string, string][] {
    return [...this.values.entries()].sort(([a], [b]) => a.localeCompare(b));
  }
}
