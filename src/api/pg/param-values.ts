/**
 * Parameter values as ClickHouse literals. ClickHouse 18.16 has no server-side parameters, so each
 * value is checked against its type and written as a literal: numbers by a strict pattern,
 * everything textual through `sqlString`, the one escaping function. A value that is not of its
 * type is an error (22P02), never a literal.
 */
import { sqlString } from '../../shared/clickhouse.ts';
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

export type Literal = { ok: true; sql: string } | { ok: false; message: string };

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const UUID_TEXT = /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;
const TIMESTAMP_TEXT = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?))?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

const ok = (sql: string): Literal => ({ ok: true, sql });
const bad = (type: PgType, text: string): Literal => ({
  ok: false,
  message: `invalid input syntax for type ${type.name}: ${JSON.stringify(text.slice(0, 100))}`,
});
const number = (text: string): string => (text.startsWith('-') ? `(${text})` : text.replace(/^\+/, ''));

/** A DateTime literal in UTC, to the second (DateTime in 18.16 has no fractions). */
function dateTimeLiteral(ms: number): string {
  return `toDateTime(${sqlString(new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' '))})`;
}

function timestampFromText(text: string): number | undefined {
  const m = TIMESTAMP_TEXT.exec(text.trim());
  if (!m) return undefined;
  const zone =
    m[3] === undefined || /^z$/i.test(m[3])
      ? 'Z'
      : m[3].length === 3
        ? `${m[3]}:00`
        : m[3].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A value sent in text format. */
export function literalFromText(text: string, type: PgType): Literal {
  switch (type) {
    case INT2:
    case INT4:
    case INT8:
    case OID:
      return INTEGER.test(text.trim()) ? ok(number(text.trim())) : bad(type, text);
    case FLOAT4:
    case FLOAT8:
    case NUMERIC: {
      const t = text.trim();
      if (/^nan$/i.test(t)) return ok('nan');
      if (/^[+-]?infinity$/i.test(t)) return ok(t.startsWith('-') ? '(-inf)' : 'inf');
      return DECIMAL.test(t) ? ok(number(t)) : bad(type, text);
    }
    case BOOL: {
      const t = text.trim().toLowerCase();
      if (['t', 'true', 'y', 'yes', 'on', '1'].includes(t)) return ok('1');
      if (['f', 'false', 'n', 'no', 'off', '0'].includes(t)) return ok('0');
      return bad(type, text);
    }
    case DATE:
      return /^\d{4}-\d\d-\d\d$/.test(text.trim()) ? ok(`toDate(${sqlString(text.trim())})`) : bad(type, text);
    case TIMESTAMP:
    case TIMESTAMPTZ: {
      const ms = timestampFromText(text);
      return ms === undefined ? bad(type, text) : ok(dateTimeLiteral(ms));
    }
    case UUID:
      return UUID_TEXT.test(text.trim())
        ? ok(
            `toUUID(${sqlString(
              text
                .trim()
                .replace(/[{}-]/g, '')
                .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
            )})`,
          )
        : bad(type, text);
    default:
      if (type.element) return arrayFromText(text, type.element);
      return ok(sqlString(text));
  }
}

/** A one-dimensional array in Postgres text form, `{1,2}` or `{"a","b"}`, as a ClickHouse array. */
function arrayFromText(text: string, element: PgType): Literal {
  const body = /^\{(.*)\}$/s.exec(text.trim())?.[1];
  if (body === undefined) return bad(element, text);
  const items = body === '' ? [] : (body.match(/"(?:[^"\\]|\\.)*"|[^,]+/g) ?? []);
  const literals: string[] = [];
  for (const item of items) {
    const quoted = item.startsWith('"');
    if (!quoted && item.trim().toUpperCase() === 'NULL') {
      literals.push('NULL');
      continue;
    }
    const value = quoted ? item.slice(1, -1).replace(/\\(.)/g, '$1') : item.trim();
    const lit = literalFromText(value, element);
    if (!lit.ok) return lit;
    literals.push(lit.sql);
  }
  return ok(`[${literals.join(', ')}]`);
}

/** A value sent in binary format (asyncpg, pgx and pgjdbc send typed values this way). */
export function literalFromBinary(b: Buffer, type: PgType): Literal {
  const need = (n: number) => b.length === n;
  switch (type) {
    case INT2:
      return need(2) ? ok(number(String(b.readInt16BE()))) : bad(type, 'binary');
    case INT4:
    case OID:
      return need(4) ? ok(number(String(type === OID ? b.readUInt32BE() : b.readInt32BE()))) : bad(type, 'binary');
    case INT8:
      return need(8) ? ok(number(b.readBigInt64BE().toString())) : bad(type, 'binary');
    case FLOAT4:
      return need(4) ? literalFromText(String(b.readFloatBE()), FLOAT8) : bad(type, 'binary');
    case FLOAT8:
      return need(8) ? literalFromText(String(b.readDoubleBE()), FLOAT8) : bad(type, 'binary');
    case BOOL:
      return need(1) ? ok(b[0] ? '1' : '0') : bad(type, 'binary');
    case DATE:
      return need(4)
        ? ok(`toDate(${sqlString(new Date(PG_EPOCH_MS + b.readInt32BE() * 86_400_000).toISOString().slice(0, 10))})`)
        : bad(type, 'binary');
    case TIMESTAMP:
    case TIMESTAMPTZ:
      return need(8) ? ok(dateTimeLiteral(PG_EPOCH_MS + Number(b.readBigInt64BE() / 1000n))) : bad(type, 'binary');
    case UUID:
      return need(16) ? literalFromText(b.toString('hex'), UUID) : bad(type, 'binary');
    case NUMERIC:
      return literalFromText(numericText(b), NUMERIC);
    default:
      if (type.element) return arrayFromBinary(b, type.element);
      return ok(sqlString(b.toString('utf8')));
  }
}

/** A one-dimensional array in binary format (asyncpg and pgx send lists this way). */
function arrayFromBinary(b: Buffer, element: PgType): Literal {
  if (b.length < 12) return bad(element, 'binary array');
  const dims = b.readInt32BE(0);
  if (dims === 0) return ok('[]');
  if (dims !== 1 || b.length < 20) return { ok: false, message: 'only one-dimensional arrays are supported' };
  const count = b.readInt32BE(12);
  const literals: string[] = [];
  let at = 20;
  for (let k = 0; k < count; k++) {
    const len = b.readInt32BE(at);
    at += 4;
    if (len < 0) {
      literals.push('NULL');
      continue;
    }
    const lit = literalFromBinary(b.subarray(at, at + len), element);
    if (!lit.ok) return lit;
    literals.push(lit.sql);
    at += len;
  }
  return ok(`[${literals.join(', ')}]`);
}

/** Postgres binary numeric as decimal text. */
function numericText(b: Buffer): string {
  if (b.length < 8) return '';
  const [ndigits, weight, sign, dscale] = [b.readInt16BE(0), b.readInt16BE(2), b.readUInt16BE(4), b.readInt16BE(6)];
  if (sign === 0xc000) return 'NaN';
  let digits = '';
  for (let i = 0; i < ndigits; i++) digits += String(b.readInt16BE(8 + i * 2)).padStart(4, '0');
  const intGroups = weight + 1;
  const padded =
    intGroups > ndigits
      ? digits.padEnd(intGroups * 4, '0')
      : intGroups < 0
        ? '0'.repeat(-intGroups * 4) + digits
        : digits;
  const split = Math.max(intGroups, 0) * 4;
  const intPart = padded.slice(0, split).replace(/^0+(?=\d)/, '') || '0';
  const frac = padded.slice(split).padEnd(dscale, '0').slice(0, dscale);
  return `${sign === 0x4000 ? '-' : ''}${intPart}${frac ? `.${frac}` : ''}`;
}
