import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { decodePipelineRecord } from './pipeline-record.ts';

const decode = (text: string) => decodePipelineRecord(Buffer.from(text));

describe('decodePipelineRecord', () => {
  it('decodes every pipeline_out example in docs/messages.md', () => {
    const doc = readFileSync(path.join(loadConfig({}).repoRoot, 'docs', 'messages.md'), 'utf8');
    const lines = [...doc.matchAll(/```jsonl\n([\s\S]*?)```/g)].flatMap((m) =>
      (m[1] ?? '').split('\n').filter(Boolean),
    );
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(decode(line), line).toMatchObject({ ok: true, table: JSON.parse(line).table });
  });

  it('reads the first job version records as table rows', () => {
    expect(
      decode('{"kind":"closed","window_start":"2026-01-01 00:00:00","window_end":"2026-01-01 00:01:00","clicks":3}'),
    ).toEqual({
      ok: true,
      table: 'windows_closed',
      row: { window_start: '2026-01-01 00:00:00', window_end: '2026-01-01 00:01:00' },
    });
  });

  it('refuses what is not a {table, row} record, saying why', () => {
    expect(decode('nope')).toEqual({ ok: false, error: 'not JSON' });
    expect(decode('{"table":"Bad-Name","row":{}}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^table:/),
    });
    expect(decode('{"table":"t","row":{"a":{"nested":1}}}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^row\.a:/),
    });
    expect(decodePipelineRecord(null)).toEqual({ ok: false, error: 'empty record' });
    expect(decode('{"table":"t","row":{"Bad":1}}')).toEqual({
      ok: false,
      error: 'row.Bad: column names are snake_case',
    });
    expect(decode('{"table":"t","row":{"a":true}}')).toEqual({
      ok: false,
      error: 'row.a: expected a string, a number or null',
    });
    expect(decode('{"table":"t","row":[1]}')).toEqual({ ok: false, error: 'row: expected an object of column values' });
    expect(decode('{"table":7,"row":{}}')).toEqual({ ok: false, error: 'table: expected a string' });
    expect(decode('[1]')).toMatchObject({ ok: false, error: expect.stringMatching(/^record:/) });
  });
});
