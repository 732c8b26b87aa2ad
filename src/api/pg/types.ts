/**
 * ClickHouse column types (as named in a JSONCompact response's meta) as Postgres types. Clients
 * choose how to decode a column from its type OID, so counts must arrive as integers, window
 * starts as timestamps and arrays as arrays. The table is in docs/sql-clients.md.
 */

/** A Postgres type we send: its OID, width (-1: variable) and, for arrays, the element type. */
export interface PgType {
  name: string;
  oid: number;
  size: number;
  element?: PgType;
}

// OIDs and widths from Postgres' pg_type catalog; they are fixed across versions.
const scalar = (name: string, oid: number, size: number): PgType => ({ name, oid, size });
export const BOOL = scalar('bool', 16, 1);
export const INT2 = scalar('int2', 21, 2);
export const INT4 = scalar('int4', 23, 4);
export const INT8 = scalar('int8', 20, 8);
export const FLOAT4 = scalar('float4', 700, 4);
export const FLOAT8 = scalar('float8', 701, 8);
export const NUMERIC = scalar('numeric', 1700, -1);
export const TEXT = scalar('text', 25, -1);
const VARCHAR = scalar('varchar', 1043, -1);
const NAME = scalar('name', 19, 64);
const BPCHAR = scalar('bpchar', 1042, -1);
export const DATE = scalar('date', 1082, 4);
export const TIMESTAMP = scalar('timestamp', 1114, 8);
export const TIMESTAMPTZ = scalar('timestamptz', 1184, 8);
export const UUID = scalar('uuid', 2950, 16);
export const OID = scalar('oid', 26, 4);

const ARRAY_OIDS: [PgType, number][] = [
  [BOOL, 1000],
  [INT2, 1005],
  [INT4, 1007],
  [INT8, 1016],
  [FLOAT4, 1021],
  [FLOAT8, 1022],
  [NUMERIC, 1231],
  [TEXT, 1009],
  [VARCHAR, 1015],
  [NAME, 1003],
  [DATE, 1182],
  [TIMESTAMP, 1115],
  [TIMESTAMPTZ, 1185],
  [UUID, 2951],
  [OID, 1028],
];

export function arrayOf(element: PgType): PgType {
  const oid = ARRAY_OIDS.find(([t]) => t === element)?.[1] ?? 1009;
  return { name: `_${element.name}`, oid, size: -1, element };
}

/** Every type we know, by OID: for parameters a client declares. */
export const TYPES_BY_OID = new Map<number, PgType>(
  [
    BOOL,
    INT2,
    INT4,
    INT8,
    FLOAT4,
    FLOAT8,
    NUMERIC,
    TEXT,
    VARCHAR,
    NAME,
    BPCHAR,
    DATE,
    TIMESTAMP,
    TIMESTAMPTZ,
    UUID,
    OID,
  ].flatMap((t) => [[t.oid, t] as [number, PgType], [arrayOf(t).oid, arrayOf(t)] as [number, PgType]]),
);

// The smallest Postgres integer that holds every value of the ClickHouse type. UInt64 is int8
// too: counts never get near 2^63, and a value past it is an error (never a wrong number).
const EXACT: Record<string, PgType> = {
  Int8: INT2,
  UInt8: INT2,
  Int16: INT2,
  UInt16: INT4,
  Int32: INT4,
  UInt32: INT8,
  Int64: INT8,
  UInt64: INT8,
  Float32: FLOAT8,
  Float64: FLOAT8,
  String: TEXT,
  Date: DATE,
  DateTime: TIMESTAMPTZ,
  UUID,
};

/** Nullable(X) and LowCardinality(X) are X to a client: nullability travels per value. */
function unwrap(chType: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(chType);
  return m?.[1] === undefined ? chType : unwrap(m[1]);
}

/** The Postgres type a ClickHouse column is sent as. */
export function pgTypeOf(chType: string): PgType {
  const base = unwrap(chType);
  const exact = EXACT[base];
  if (exact) return exact;
  if (base.startsWith('DateTime(')) return TIMESTAMPTZ; // DateTime('Zone') is an instant too
  if (base.startsWith('Decimal')) return NUMERIC;
  const array = /^Array\((.*)\)$/.exec(base)?.[1];
  if (array !== undefined) {
    const element = pgTypeOf(array);
    // Postgres arrays are rectangular and have no arrays of arrays: nested ones go as JSON text.
    return element.element ? TEXT : arrayOf(element);
  }
  // FixedString, Enum, Tuple, Nothing (a bare NULL) and anything newer: as text.
  return TEXT;
}
