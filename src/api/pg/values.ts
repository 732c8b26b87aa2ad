/**
 * Result values from ClickHouse's JSON as Postgres text or binary cells. Binary matters: asyncpg,
 * pgx and pgjdbc ask for binary results of the types they know, and decode by the OID we sent.
 * Zero dates (ClickHouse's '0000-00-00') are NULL; a UInt64 past int8 is an error, never a wrong number.
 * https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-FORMAT-CODES
 */
import { DATE, FLOAT4, FLOAT8, INT2, INT4, INT8, NUMERIC, OID, TIMESTAMPTZ, UUID, BOOL, type PgType } from './types.ts';

/** A cell, or why the value cannot be sent as its column's type. */
export type Cell = Buffer | null;
export class ValueOutOfRange extends Error {}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const MS_PER_DAY = 86_400_000;
const INT8_MAX = 9223372036854775807n;
const INT8_MIN = -9223372036854775808n;

function isZeroDate(v: unknown): boolean {
  return typeof v === 'string' && v.startsWith('0000-00-00');
}

/** The value as Postgres text (before UTF-8), or null. */
export function textOf(v: unknown, type: PgType): string | null {
  if (v === null || v === undefined || isZeroDate(v)) return null;
  if (type.element) return arrayText(v, type.element);
  if (type === INT8) {
    const n = BigInt(String(v));
    if (n > INT8_MAX || n < INT8_MIN) throw new ValueOutOfRange(`${n} is out of range for int8`);
    return n.toString();
  }
  if (type === TIMESTAMPTZ) return `${String(v)}+00`;
  if (typeof v === 'string') return v.replace(/\0+$/, ''); // FixedString pads with NULs, which text cannot hold
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

function arrayText(v: unknown, element: PgType): string {
  if (!Array.isArray(v)) return JSON.stringify(v);
  const items = v.map((item) => {
    const t = textOf(item, element);
    if (t === null) return 'NULL';
    return typeof item === 'string' ? `"${t.replace(/[\\"]/g, (c) => `\\${c}`)}"` : t;
  });
  return `{${items.join(',')}}`;
}

const fixed = (size: number, write: (b: Buffer) => void): Buffer => {
  const b = Buffer.alloc(size);
  write(b);
  return b;
};

/** The value in Postgres binary format, or null. */
export function binaryOf(v: unknown, type: PgType): Cell {
  if (v === null || v === undefined || isZeroDate(v)) return null;
  if (type.element) return arrayBinary(v, type);
  switch (type) {
    case BOOL:
      return Buffer.from([v === true || v === 't' || v === 1 ? 1 : 0]);
    case INT2:
      return fixed(2, (b) => b.writeInt16BE(Number(v)));
    case INT4:
      return fixed(4, (b) => b.writeInt32BE(Number(v)));
    case OID:
      return fixed(4, (b) => b.writeUInt32BE(Number(v)));
    case INT8:
      return fixed(8, (b) => b.writeBigInt64BE(BigInt(textOf(v, INT8) ?? '0')));
    case FLOAT4:
      return fixed(4, (b) => b.writeFloatBE(Number(v)));
    case FLOAT8:
      return fixed(8, (b) => b.writeDoubleBE(Number(v)));
    case NUMERIC:
      return numericBinary(String(v));
    case DATE:
      return fixed(4, (b) =>
        b.writeInt32BE(Math.round((Date.parse(`${String(v)}T00:00:00Z`) - PG_EPOCH_MS) / MS_PER_DAY)),
      );
    case TIMESTAMPTZ:
      return fixed(8, (b) =>
        b.writeBigInt64BE(BigInt(Date.parse(`${String(v).replace(' ', 'T')}Z`) - PG_EPOCH_MS) * 1000n),
      );
    case UUID:
      return Buffer.from(String(v).replace(/-/g, ''), 'hex');
    default:
      return Buffer.from(textOf(v, type) ?? '', 'utf8');
  }
}

function arrayBinary(v: unknown, type: PgType): Buffer {
  const element = type.element ?? type;
  const items = Array.isArray(v) ? v.map((item) => binaryOf(item, element)) : [];
  const header = Buffer.alloc(items.length === 0 ? 12 : 20);
  header.writeInt32BE(items.length === 0 ? 0 : 1); // dimensions: an empty array has none
  header.writeInt32BE(items.some((c) => c === null) ? 1 : 0, 4);
  header.writeInt32BE(element.oid, 8);
  if (items.length > 0) {
    header.writeInt32BE(items.length, 12);
    header.writeInt32BE(1, 16); // lower bound
  }
  const cells = items.flatMap((c) =>
    c === null ? [fixed(4, (b) => b.writeInt32BE(-1))] : [fixed(4, (b) => b.writeInt32BE(c.length)), c],
  );
  return Buffer.concat([header, ...cells]);
}

/** Postgres numeric: base-10000 digits with a weight, sign and display scale. */
export function numericBinary(text: string): Buffer {
  let s = text.trim();
  if (/e/i.test(s))
    s = Number(s)
      .toFixed(20)
      .replace(/\.?0+$/, '');
  if (s === 'nan' || s === 'NaN') return Buffer.from([0, 0, 0, 0, 0xc0, 0, 0, 0]);
  const negative = s.startsWith('-');
  const [intPart = '0', fracPart = ''] = s.replace(/^[-+]/, '').split('.');
  const intDigits = intPart.replace(/^0+/, '');
  const padInt = intDigits.padStart(Math.ceil(intDigits.length / 4) * 4, '0');
  const padFrac = fracPart.padEnd(Math.ceil(fracPart.length / 4) * 4, '0');
  let groups = `${padInt}${padFrac}`.match(/.{4}/g)?.map(Number) ?? [];
  let weight = padInt.length / 4 - 1;
  while (groups.length > 0 && groups[0] === 0) {
    groups = groups.slice(1);
    weight--;
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups = groups.slice(0, -1);
  const b = Buffer.alloc(8 + groups.length * 2);
  b.writeInt16BE(groups.length, 0);
  b.writeInt16BE(groups.length === 0 ? 0 : weight, 2);
  b.writeUInt16BE(negative && groups.length > 0 ? 0x4000 : 0, 4);
  b.writeInt16BE(fracPart.length, 6);
  groups.forEach((g, i) => b.writeInt16BE(g, 8 + i * 2));
  return b;
}
