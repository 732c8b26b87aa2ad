import { describe, expect, it } from 'vitest';
import { pgField, pgText } from './types.ts';

const oid = (chType: string) => pgField('c', chType).typeOid;

describe('ClickHouse types as Postgres types', () => {
  it('maps integers to the smallest Postgres integer that holds them', () => {
    expect([oid('UInt8'), oid('Int16'), oid('UInt16'), oid('Int32'), oid('UInt32'), oid('UInt64'), oid('Int64')]).toEqual([21, 21, 23, 23, 20, 20, 20]);
  });

  it('maps floats, decimals, strings, dates and timestamps', () => {
    expect([oid('Float32'), oid('Float64'), oid('Decimal(9, 2)'), oid('String'), oid('FixedString(3)')]).toEqual([700, 701, 1700, 25, 25]);
    expect([oid('Date'), oid('DateTime'), oid("DateTime('Asia/Tokyo')"), oid('UUID')]).toEqual([1082, 1114, 1114, 2950]);
  });

  it('unwraps Nullable and LowCardinality; sends the rest as text', () => {
    expect([oid('Nullable(UInt64)'), oid('LowCardinality(Nullable(String))'), oid('Array(UInt8)'), oid('Nullable(Nothing)')]).toEqual([20, 25, 25, 25]);
  });

  it('renders values in Postgres text format', () => {
    expect(pgText(null, 'Nullable(String)')).toBeNull();
    expect(pgText('18446744073709551615', 'UInt64')).toBe('18446744073709551615');
    expect(pgText(1.5, 'Float64')).toBe('1.5');
    expect(pgText('2026-01-01 00:01:00', 'DateTime')).toBe('2026-01-01 00:01:00');
    expect(pgText('ab\u0000', 'FixedString(3)')).toBe('ab');
    expect(pgText([1, 'a'], 'Tuple(UInt8, String)')).toBe('[1,"a"]');
  });
});
