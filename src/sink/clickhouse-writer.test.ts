import { describe, expect, it } from 'vitest';
import { isDataError } from './clickhouse-writer.ts';

describe('isDataError', () => {
  it('tells a refused row from an outage', () => {
    expect(
      isDataError(
        new Error(
          'Code: 25, e.displayText() = DB::Exception: Cannot parse escape sequence: missing second part of surrogate pair',
        ),
      ),
    ).toBe(true);
    expect(isDataError(new Error('Code: 27. DB::Exception: Cannot parse input'))).toBe(true);
    expect(isDataError(new Error('connect ECONNREFUSED 127.0.0.1:8123'))).toBe(false);
    expect(isDataError(new Error('Timeout error.'))).toBe(false);
    expect(
      isDataError(new Error('Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded')),
    ).toBe(false);
    expect(isDataError(new Error('Code: 193, e.displayText() = DB::Exception: Wrong password for user default'))).toBe(
      false,
    );
  });
});
