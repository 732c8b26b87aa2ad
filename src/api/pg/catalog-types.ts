/**
 * asyncpg's type introspection (its INTRO_LOOKUP_TYPES query, sent before it decodes an array
 * column): each asked OID with its element type, answered from the types the endpoint sends.
 */
import type { PgField } from './messages.ts';
import { isKeyword, type Token } from './tokens.ts';
import { INT4, OID, TEXT, TYPES_BY_OID } from './types.ts';

export function isTypeIntrospection(tokens: Token[]): boolean {
  return tokens.some((t) => t.kind === 'word' && t.text.toLowerCase() === 'typeinfo_tree');
}

const NAMES = [
  'oid',
  'ns',
  'name',
  'kind',
  'basetype',
  'elemtype',
  'elemdelim',
  'range_subtype',
  'attrtypoids',
  'attrnames',
  'depth',
  'basetype_name',
  'elemtype_name',
  'range_subtype_name',
];
const FIELDS: PgField[] = NAMES.map((name) => ({
  name,
  type:
    name === 'oid' || name === 'basetype' || name === 'elemtype' || name === 'range_subtype'
      ? OID
      : name === 'depth'
        ? INT4
        : TEXT,
}));

/** The OIDs in `any([1005, 1009]::oid[])`, as bound. */
function askedOids(tokens: Token[]): number[] {
  const any = tokens.findIndex((t, i) => isKeyword(t, 'ANY') && tokens[i + 1]?.kind === 'open');
  if (any < 0) return [];
  const oids: number[] = [];
  for (let i = any + 2; i < tokens.length && tokens[i]?.text !== ')'; i++)
    if (tokens[i]?.kind === 'number') oids.push(Number(tokens[i]?.text));
  return oids;
}

export function answerTypeIntrospection(tokens: Token[]): { fields: PgField[]; rows: (string | number | null)[][] } {
  const rows: (string | number | null)[][] = [];
  for (const oid of askedOids(tokens)) {
    const type = TYPES_BY_OID.get(oid);
    if (!type) continue;
    if (type.element)
      rows.push([
        type.element.oid,
        'pg_catalog',
        type.element.name,
        'b',
        null,
        0,
        ',',
        null,
        null,
        null,
        1,
        null,
        null,
        null,
      ]);
    rows.push([
      type.oid,
      'pg_catalog',
      type.name,
      'b',
      null,
      type.element?.oid ?? 0,
      ',',
      null,
      null,
      null,
      0,
      null,
      type.element?.name ?? null,
      null,
    ]);
  }
  return { fields: FIELDS, rows };
}
