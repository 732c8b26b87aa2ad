import { describe, expect, it } from 'vitest';
import { twinStatement } from './replicated-tables.ts';

const plain =
  'CREATE TABLE tb.windows_closed ( window_start DateTime,  window_end DateTime) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(window_start) ORDER BY window_start SETTINGS index_granularity = 8192';
const path = '/clickhouse/tables/{shard}/tb/windows_closed';

describe('a table’s replicated twin', () => {
  it('keeps columns, key and settings, and names its ZooKeeper path and replica', () => {
    expect(twinStatement(plain, 'tb', 'windows_closed', path)).toBe(
      "CREATE TABLE tb.windows_closed__twin ( window_start DateTime,  window_end DateTime) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/tb/windows_closed', '{replica}') PARTITION BY toYYYYMM(window_start) ORDER BY window_start SETTINGS index_granularity = 8192",
    );
  });

  it('keeps an engine’s own arguments after the two it adds, and drops them again on the way back', () => {
    const versioned = plain.replace('ReplacingMergeTree', 'ReplacingMergeTree(version)');
    const replicated = twinStatement(versioned, 'tb', 'windows_closed', path);
    expect(replicated).toContain(
      "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/tb/windows_closed', '{replica}', version)",
    );
    const back = twinStatement(replicated.replace('windows_closed__twin', 'windows_closed'), 'tb', 'windows_closed');
    expect(back).toContain('ENGINE = ReplacingMergeTree(version) PARTITION BY');
  });

  it('refuses a statement for another table', () => {
    expect(() => twinStatement(plain, 'tb', 'clicks_raw', path)).toThrow(/unexpected SHOW CREATE TABLE/);
  });
});
