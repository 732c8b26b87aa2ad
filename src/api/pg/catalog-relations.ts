/**
 * The rows of the imitated Postgres catalog: the pipeline's ClickHouse tables as relations of
 * schema `public`, their columns as attributes under Postgres types, their ClickHouse primary
 * keys, and the types. catalog.ts picks which of them a query reads.
 */
import type { RunStatement } from './query.ts';
import { TYPES_BY_OID, pgTypeOf, type PgType } from './types.ts';

export type Value = string | number | null;
export type Row = Record<string, Value>;

const FIRST_OID = 16384; // Postgres' first OID for user objects
const POSTGRES_TYPE_NAMES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float8: 'double precision',
  numeric: 'numeric',
  text: 'text',
  date: 'date',
  timestamptz: 'timestamp with time zone',
  uuid: 'uuid',
  bool: 'boolean',
};

/** A ClickHouse table of the pipeline's database, as a relation of schema `public`. */
export interface Relation {
  oid: number;
  name: string;
  kind: 'r' | 'v';
  engine: string;
  columns: { name: string; chType: string; type: PgType; primary: boolean }[];
}

function formatType(t: PgType): string {
  return t.element ? `${formatType(t.element)}[]` : (POSTGRES_TYPE_NAMES[t.name] ?? t.name);
}

/** Every table of the current database with its columns, numbered from Postgres' first user OID. */
export async function loadRelations(run: RunStatement): Promise<Relation[]> {
  const tables = await run('SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name');
  const columns = await run(
    'SELECT table, name, type, is_in_primary_key FROM system.columns WHERE database = currentDatabase()',
  );
  if (!tables.ok || !columns.ok) return [];
  return tables.rows.map(([name, engine], i) => ({
    oid: FIRST_OID + i,
    name: String(name),
    kind: /View$/.test(String(engine)) ? 'v' : 'r',
    engine: String(engine),
    columns: columns.rows
      .filter((c) => c[0] === name)
      .map(([, col, chType, primary]) => ({
        name: String(col),
        chType: String(chType),
        type: pgTypeOf(String(chType)),
        primary: Number(primary) === 1,
      })),
  }));
}

/** Rows under every column name the supported catalog queries read: pg_class, information_schema, pgjdbc. */
export const relationRow = (r: Relation): Row => ({
  oid: r.oid,
  nspname: 'public',
  schema: 'public',
  relname: r.name,
  name: r.name,
  table_name: r.name,
  table: r.name,
  table_schem: 'public',
  table_schema: 'public',
  relkind: r.kind,
  type: r.kind === 'v' ? 'view' : 'table',
  table_type: r.kind === 'v' ? 'VIEW' : 'TABLE',
  owner: 'tollbooth',
  remarks: `ClickHouse ${r.engine}`,
  description: `ClickHouse ${r.engine}`,
  relchecks: 0,
  relhasindex: 'f',
  relhasrules: 'f',
  relhastriggers: 'f',
  relrowsecurity: 'f',
  relforcerowsecurity: 'f',
  relhasoids: 'f',
  relispartition: 'f',
  reltablespace: 0,
  relpersistence: 'p',
  relreplident: 'd',
  amname: 'heap',
  reloftype: '',
  relnatts: r.columns.length,
});

export const attributeRows = (r: Relation): Row[] =>
  r.columns.map((c, i) => ({
    ...relationRow(r),
    attname: c.name,
    column_name: c.name,
    column: c.name,
    type: formatType(c.type),
    atttypid: c.type.oid,
    format_type: formatType(c.type),
    data_type: formatType(c.type),
    attnotnull: c.chType.startsWith('Nullable(') ? 'f' : 't',
    is_nullable: c.chType.startsWith('Nullable(') ? 'YES' : 'NO',
    atttypmod: -1,
    typtypmod: -1,
    attlen: c.type.size,
    attnum: i + 1,
    ordinal_position: i + 1,
    attidentity: null,
    attgenerated: null,
    adsrc: null,
    pg_get_expr: null,
    description: c.chType,
    col_description: c.chType,
    typbasetype: 0,
    typtype: 'b',
    attcollation: null,
    attstorage: 'x',
    attstattarget: -1,
    udt_name: c.type.name,
  }));

export const primaryKeyRows = (r: Relation): Row[] =>
  r.columns
    .filter((c) => c.primary)
    .map((c, i) => ({
      ...relationRow(r),
      column_name: c.name,
      attname: c.name,
      key_seq: i + 1,
      pk_name: `${r.name}_pkey`,
    }));

export const TYPE_ROWS: Row[] = [...new Set(TYPES_BY_OID.values())].map((t) => ({
  typname: t.name,
  oid: t.oid,
  typtype: 'b',
  typlen: t.size,
  nspname: 'pg_catalog',
}));
