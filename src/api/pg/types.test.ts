import { describe, expect, it } from 'vitest';
import { pgTypeOf } from './types.ts';
import { binaryOf, numericBinary, textOf } from './values.ts';

const oid = (chType: string) => pgTypeOf(chType).oid;

describe('ClickHouse types as Postgres types', () => {
  it('maps integers to the smallest Postgres integer that holds them', () => {
    expect([
      oid('UInt8'),
      oid('Int16'),
      oid('UInt16'),
      oid('Int32'),
      oid('UInt32'),
      oid('UInt64'),
      oid('Int64'),
    ]).toEqual([21, 21, 23, 23, 20, 20, 20]);
  });

  it('maps floats, decimals, strings, dates and instants', () => {
    expect([oid('Float32'), oid('Float64'), oid('Decimal(9, 2)'), oid('String'), oid('FixedString(3)')]).toEqual([
      701, 701, 1700, 25, 25,
    ]);
    expect([oid('Date'), oid('DateTime'), oid("DateTime('Asia/Tokyo')"), oid('UUID')]).toEqual([
      1082, 1184, 1184, 2950,
    ]);
  });

  it('unwraps Nullable and LowCardinality; arrays are arrays of their element type', () => {
    expect([
      oid('Nullable(UInt64)'),
      oid('LowCardinality(Nullable(String))'),
      oid('Array(UInt8)'),
      oid('Array(String)'),
      oid('Array(Array(UInt8))'),
      oid('Nullable(Nothing)'),
    ]).toEqual([20, 25, 1005, 1009, 25, 25]);
  });
});

describe('values as Postgres text and binary', () => {
  it('renders text format', () => {
    expect(textOf(null, pgTypeOf('Nullable(String)'))).toBeNull();
    expect(textOf('9223372036854775807', pgTypeOf('UInt64'))).toBe('9223372036854775807');
    expect(textOf('2026-01-01 00:01:00', pgTypeOf('DateTime'))).toBe('2026-01-01 00:01:00+00');
    expect(textOf('ab\u0000', pgTypeOf('FixedString(3)'))).toBe('ab');
    expect(textOf(['a"b', 'c'], pgTypeOf('Array(String)'))).toBe('{"a\\"b","c"}');
    expect(textOf([1, null], pgTypeOf('Array(Nullable(UInt8))'))).toBe('{1,NULL}');
  });

  it('sends zero dates as NULL and refuses a UInt64 past int8, never a wrong number', () => {
    expect(textOf('0000-00-00', pgTypeOf('Date'))).toBeNull();
    expect(binaryOf('0000-00-00 00:00:00', pgTypeOf('DateTime'))).toBeNull();
    expect(() => textOf('18446744073709551615', pgTypeOf('UInt64'))).toThrow(/out of range for int8/);
  });

  it('encodes binary integers, dates, instants and arrays', () => {
    expect(binaryOf('42', pgTypeOf('UInt64'))?.toString('hex')).toBe('000000000000002a');
    expect(binaryOf('2000-01-02', pgTypeOf('Date'))?.readInt32BE()).toBe(1);
    expect(binaryOf('2000-01-01 00:00:01', pgTypeOf('DateTime'))?.readBigInt64BE()).toBe(1_000_000n);
    expect(binaryOf([7], pgTypeOf('Array(Int32)'))?.toString('hex')).toBe(
      '00000001' + '00000000' + '00000017' + '00000001' + '00000001' + '00000004' + '00000007',
    );
  });

  it('encodes numeric in base 10000', () => {
    expect(numericBinary('12345.678').toString('hex')).toBe(
      '0003' + '0001' + '0000' + '0003' + '0001' + '0929' + '1a7c',
    );
    expect(numericBinary('-0.5').toString('hex')).toBe('0001' + 'ffff' + '4000' + '0001' + '1388');
  });
});
