/**
 * A read-only imitation of the Postgres catalog (pg_catalog, information_schema) over ClickHouse's
 * system.tables and system.columns, for psql's `\d` family, pgjdbc's DatabaseMetaData and Grafana's
 * table lists. Every ClickHouse table of the pipeline's database is a table of schema `public`,
 * with its columns under their Postgres types and its primary key; nothing else exists.
 */
import {
  TYPE_ROWS,
  attributeRows,
  loadRelations,
  primaryKeyRows,
  relationRow,
  type Relation,
  type Row,
  type Value,
} from './catalog-relations.ts';
import { catalogFilters, outputColumns, type CatalogFilters } from './catalog-sql.ts';
import { answerTypeIntrospection, isTypeIntrospection } from './catalog-types.ts';
import type { PgField } from './messages.ts';
import type { RunStatement } from './query.ts';
import type { Token } from './tokens.ts';
import { BOOL, INT2, INT4, OID, TEXT, type PgType } from './types.ts';
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

interface CatalogAnswer {
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
