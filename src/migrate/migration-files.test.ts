import { describe, expect, it } from 'vitest';
import { sqlSections } from './migration-files.ts';

describe('sqlSections', () => {
  it('splits the up and down sections into statements, header comments left out', () => {
    const text =
      '-- what it does\n-- Impact: DDL only\n\n-- migrate:up\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n-- migrate:down\nDROP TABLE a;\n';
    expect(sqlSections(text, 'm.sql')).toEqual({
      up: ['CREATE TABLE a (x UInt8) ENGINE = Memory'],
      down: ['DROP TABLE a'],
    });
  });

  it('refuses a statement above "-- migrate:up", naming its line', () => {
    const text = '-- header\nCREATE TABLE lost (x UInt8) ENGINE = Memory;\n-- migrate:up\nSELECT 1;\n';
    expect(() => sqlSections(text, 'm.sql')).toThrow(/m\.sql:2: a statement above "-- migrate:up"/);
  });

  it('refuses a file without an up section and a down section before it', () => {
    expect(() => sqlSections('SELECT 1;', 'm.sql')).toThrow(/no "-- migrate:up" line/);
    expect(() => sqlSections('-- migrate:down\n-- migrate:up\n', 'm.sql')).toThrow(/must come after/);
  });
});
