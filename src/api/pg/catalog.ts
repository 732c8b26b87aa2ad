/**
 * A read-only imitation of the Postgres catalog (pg_catalog, information_schema) over ClickHouse's
 * system.tables and system.columns, for psql's `\d` family, pgjdbc's DatabaseMetaData and Grafana's
 * table lists. Every ClickHouse table of the pipeline's database is a table of schema `public`,
 * with its columns under their Postgres types and its primary key; nothing else exists.
 */
import { catalogFilters, outputColumns, type CatalogFilters } from './catalog-sql.ts';
import { answerTypeIntrospection, isTypeIntrospection } from './catalog-types.ts';
import type { PgField } from './messages.ts';
import type { RunStatement } from './query.ts';
import type { Token } from './tokens.ts';
import { BOOL, INT2, INT4, OID, TEXT, TYPES_BY_OID, pgTypeOf, type PgType } from './types.ts';
import { SERVER_VERSION } from './settings.ts';

/** True when a statement reads the Postgres catalog rather than ClickHouse's tables. */
export function readsCatalog(tokens: Token[]): boolean {
  return tokens.some(
    (t) =>
      (t.kind === 'word' || t.kind === 'ident') &&
      /^(pg_catalog|information_schema|pg_class|pg_namespace|pg_type|pg_attribute|pg_database|pg_index|pg_proc|pg_settings|pg_roles|pg_user|current_catalog|current_database|current_schema|current_schemas|current_user|session_user|typeinfo_tree)$/i.test(
        t.text,
      ),
  );
}

type Value = string | number | null;
type Row = Record<string, Value>;

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

interface Relation {
  oid: number;
  name: string;
  kind: 'r' | 'v';
  engine: string;
  columns: { name: string; chType: string; type: PgType; primary: boolean }[];
}

function formatType(t: PgType): string {
  return t.element ? `${formatType(t.element)}[]` : (POSTGRES_TYPE_NAMES[t.name] ?? t.name);
}

async function loadRelations(run: RunStatement): Promise<Relation[]> {
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

const relationRow = (r: Relation): Row => ({
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

const attributeRows = (r: Relation): Row[] =>
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

const primaryKeyRows = (r: Relation): Row[] =>
  r.columns
    .filter((c) => c.primary)
    .map((c, i) => ({
      ...relationRow(r),
      column_name: c.name,
      attname: c.name,
      key_seq: i + 1,
      pk_name: `${r.name}_pkey`,
    }));

const TYPE_ROWS: Row[] = [...new Set(TYPES_BY_OID.values())].map((t) => ({
  typname: t.name,
  oid: t.oid,
  typtype: 'b',
  typlen: t.size,
  nspname: 'pg_catalog',
}));

/** Which catalog the query enumerates, by the tables it names (most specific first). */
function rowsFor(tokens: Token[], relations: Relation[], f: CatalogFilters, database: string): Row[] {
  const names = new Set(tokens.filter((t) => t.kind === 'word' || t.kind === 'ident').map((t) => t.text.toLowerCase()));
  const schemaOk = !f.schema || f.schema.test('public');
  const chosen = relations.filter(
    (r) =>
      schemaOk &&
      (!f.relation || f.relation.test(r.name)) &&
      (f.relationOid === undefined || f.relationOid === r.oid) &&
      (!f.relkinds || f.relkinds.includes(r.kind)),
  );
  const from = tokens.findIndex((t) => t.kind === 'word' && t.text.toUpperCase() === 'FROM');
  const mainTable = (tokens[from + 2]?.kind === 'dot' ? tokens[from + 3] : tokens[from + 1])?.text.toLowerCase();
  if (mainTable === 'pg_type') return TYPE_ROWS;
  if (names.has('indisprimary') || (f.constraintType?.test('p') ?? false)) return chosen.flatMap(primaryKeyRows);
  if (
    names.has('pg_index') ||
    names.has('pg_policy') ||
    names.has('pg_inherits') ||
    names.has('pg_trigger') ||
    names.has('pg_constraint') ||
    names.has('pg_statistic_ext') ||
    names.has('pg_publication')
  )
    return [];
  if (names.has('pg_attribute') || names.has('columns'))
    return chosen.flatMap(attributeRows).filter((a) => !f.attribute || f.attribute.test(String(a.attname)));
  if (names.has('pg_class') || names.has('tables')) return chosen.map(relationRow);
  if (names.has('pg_database')) return [{ datname: database, table_cat: database }];
  if (names.has('schemata')) return [{ schema_name: 'public', name: 'public' }]; // Grafana's schema list
  if (names.has('pg_namespace'))
    return ['public', 'pg_catalog', 'information_schema']
      .filter((n) => !f.schema || f.schema.test(n))
      .map((n) => ({ nspname: n, table_schem: n, schema_name: n, table_catalog: null }));
  if (names.has('pg_type')) return TYPE_ROWS;
  // `SELECT current_catalog` and the like: one row of session values.
  return tokens.some((t) => t.kind === 'word' && t.text.toUpperCase() === 'FROM') ? [] : [{}];
}

function fieldType(key: string, sample: Value | undefined): PgType {
  if (/oid$|typid$|^typbasetype$|^reltablespace$/.test(key)) return OID;
  if (typeof sample === 'number') return key === 'attnum' || key === 'key_seq' || key === 'attlen' ? INT2 : INT4;
  if (sample === 't' || sample === 'f') return BOOL;
  return TEXT;
}

export interface CatalogAnswer {
  fields: PgField[];
  rows: Value[][];
}

/** The answer to a catalog query; a query we cannot place gets its columns and no rows. */
export async function answerCatalog(tokens: Token[], run: RunStatement, database: string): Promise<CatalogAnswer> {
  if (isTypeIntrospection(tokens)) return answerTypeIntrospection(tokens);
  const columns = outputColumns(tokens);
  const relations = await loadRelations(run);
  const rows = rowsFor(tokens, relations, catalogFilters(tokens), database);
  const extra: Row = {
    version: `PostgreSQL ${SERVER_VERSION}`,
    current_schema: 'public',
    current_database: database,
    current_catalog: database,
    table_cat: database,
    current_user: 'analyst',
    session_user: 'analyst',
  };
  const values = rows.map((r) =>
    columns.map((c) => (c.literal !== undefined ? c.literal : (r[c.key] ?? extra[c.key] ?? null))),
  );
  const fields = columns.map((c, i) => ({ name: c.name, type: fieldType(c.key, values[0]?.[i] ?? undefined) }));
  return { fields, rows: values };
}
