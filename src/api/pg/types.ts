/**
 * ClickHouse column types (as named in a JSONCompact response's meta) to Postgres types, and
 * ClickHouse JSON values to the Postgres text format. Clients such as psql, psycopg or JDBC
 * choose how to parse and align a column from its type OID, so counts must arrive as integers
 * and window starts as timestamps, not everything as text.
 */
import type { PgField } from './messages.ts';

interface PgType {
  oid: number;
  size: number;
}

// OIDs and widths from Postgres' pg_type catalog; they are fixed across versions.
const INT2: PgType = { oid: 21, size: 2 };
const INT4: PgType = { oid: 23, size: 4 };
const INT8: PgType = { oid: 20, size: 8 };
const FLOAT4: PgType = { oid: 700, size: 4 };
const FLOAT8: PgType = { oid: 701, size: 8 };
const NUMERIC: PgType = { oid: 1700, size: -1 };
const TEXT: PgType = { oid: 25, size: -1 };
const DATE: PgType = { oid: 1082, size: 4 };
const TIMESTAMP: PgType = { oid: 1114, size: 8 };
const UUID: PgType = { oid: 2950, size: 16 };

// The smallest Postgres integer that holds every value of the ClickHouse type. UInt64 goes to
// int8 although its top half does not fit: counts never get near 2^63, and numeric would make
// every count a string in client libraries.
const EXACT: Record<string, PgType> = {
  Int8: INT2,
  UInt8: INT2,
  Int16: INT2,
  UInt16: INT4,
  Int32: INT4,
  UInt32: INT8,
  Int64: INT8,
  UInt64: INT8,
  Float32: FLOAT4,
  Float64: FLOAT8,
  String: TEXT,
  Date: DATE,
  DateTime: TIMESTAMP,
  UUID,
};

/** Nullable(X) and LowCardinality(X) are X to a client: nullability travels per value. */
function unwrap(chType: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(chType);
  return m?.[1] === undefined ? chType : unwrap(m[1]);
}

function pgTypeOf(chType: string): PgType {
  const base = unwrap(chType);
  const exact = EXACT[base];
  if (exact) return exact;
  if (base.startsWith('DateTime(')) return TIMESTAMP; // DateTime('Zone'): shown in that zone
  if (base.startsWith('Decimal')) return NUMERIC;
  // FixedString, Enum, Array, Tuple, Nothing (a bare NULL) and anything newer: as text.
  return TEXT;
}

/** The RowDescription field for a ClickHouse result column. */
export function pgField(name: string, chType: string): PgField {
  const t = pgTypeOf(chType);
  return { name, typeOid: t.oid, typeSize: t.size };
}

/**
 * A value in Postgres text format. 64-bit integers arrive as JSON strings (exact); arrays and
 * tuples are sent as their JSON text, which is readable and unambiguous, though not the `{...}`
 * Postgres array syntax. NaN and infinities arrive as null from ClickHouse's JSON, so they show as NULL.
 */
export function pgText(value: unknown, chType: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    // FixedString pads with NUL bytes, which Postgres text can never contain.
    return unwrap(chType).startsWith('FixedString') ? value.replace(/\0+$/, '') : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
