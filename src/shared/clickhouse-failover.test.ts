import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { failoverClient, isUnreachable } from './clickhouse-failover.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:8123'), { code: 'ECONNREFUSED' });

function fake(name: string, fail: () => Error | undefined): ClickHouseClient & { calls: number } {
  const client = {
    calls: 0,
    async query() {
      client.calls += 1;
      const err = fail();
      if (err) throw err;
      return name;
    },
    async close() {},
  };
  return client as unknown as ClickHouseClient & { calls: number };
}

describe('the failover client', () => {
  it('tells an unreachable replica from a query error', () => {
    expect(isUnreachable(refused())).toBe(true);
    expect(isUnreachable(new Error('Timeout error.'))).toBe(true);
    expect(isUnreachable(new Error('Code: 242, e.displayText() = DB::Exception: Table is in readonly mode'))).toBe(
      true,
    );
    expect(isUnreachable(new Error('Code: 62, e.displayText() = DB::Exception: Syntax error'))).toBe(false);
  });

  it('goes to the next replica when one is unreachable, and stays there', async () => {
    const a = fake('a', refused);
    const b = fake('b', () => undefined);
    const client = failoverClient([a, b]);
    expect(await client.query({ query: 'SELECT 1' })).toBe('b');
    expect(await client.query({ query: 'SELECT 1' })).toBe('b');
    expect([a.calls, b.calls]).toEqual([1, 2]);
  });

  it('passes a query error through without trying another replica', async () => {
    const a = fake('a', () => new Error('Code: 62, e.displayText() = DB::Exception: Syntax error'));
    const b = fake('b', () => undefined);
    await expect(failoverClient([a, b]).query({ query: 'SELEC' })).rejects.toThrow(/Syntax error/);
    expect(b.calls).toBe(0);
  });

  it('throws the last error when no replica answers', async () => {
    await expect(failoverClient([fake('a', refused), fake('b', refused)]).query({ query: 'SELECT 1' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
