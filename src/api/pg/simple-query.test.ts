import { describe, expect, it } from 'vitest';
import type { QueryOutcome, RunStatement } from './query.ts';
import { answerSimpleQuery } from './simple-query.ts';

/** Message type bytes of a reply, in order: enough to check the protocol's shape. */
function types(replies: Buffer[]): string {
  return replies.map((b) => String.fromCharCode(b[0] ?? 0)).join('');
}

const rows: QueryOutcome = { ok: true, fields: [{ name: 'n', typeOid: 20, typeSize: 8 }], rows: [['1'], ['2']], tag: 'SELECT 2' };
const refused: QueryOutcome = { ok: false, error: { severity: 'ERROR', code: '25006', message: 'readonly' } };

function runner(outcomes: Record<string, QueryOutcome>): { run: RunStatement; seen: string[] } {
  const seen: string[] = [];
  return { seen, run: async (sql) => (seen.push(sql), outcomes[sql] ?? rows) };
}

describe('answerSimpleQuery', () => {
  it('answers an empty query with EmptyQueryResponse, then ReadyForQuery', async () => {
    expect(types(await answerSimpleQuery(' ; -- x', runner({}).run))).toBe('IZ');
  });

  it('answers rows with RowDescription, DataRows and CommandComplete', async () => {
    expect(types(await answerSimpleQuery('SELECT n', runner({}).run))).toBe('TDDCZ');
  });

  it('stops a multi-statement query at the first error and stays ready', async () => {
    const { run, seen } = runner({ 'DROP TABLE t': refused });
    expect(types(await answerSimpleQuery('SELECT 1; DROP TABLE t; SELECT 2', run))).toBe('TDDCEZ');
    expect(seen).toEqual(['SELECT 1', 'DROP TABLE t']);
  });

  it('acknowledges session statements without sending them to ClickHouse', async () => {
    const { run, seen } = runner({});
    expect(types(await answerSimpleQuery('BEGIN; SET extra_float_digits = 3; COMMIT', run))).toBe('CNCCZ');
    expect(seen).toEqual([]);
  });
});
