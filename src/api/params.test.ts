import { describe, expect, it } from 'vitest';
import { MAX_RANGE_MS, adPathSchema, clicksQuerySchema, parseParams, topQuerySchema } from './params.ts';

const FROM = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const q = (extra: Record<string, unknown> = {}) => ({ from: String(FROM), to: String(FROM + HOUR), ...extra });

describe('clicks query', () => {
  it('accepts epoch ms and ISO-8601 with any zone, and defaults granularity to minute', () => {
    const parsed = parseParams(clicksQuerySchema, { from: '2026-01-01T01:00:00+01:00', to: '2026-01-01T00:30:00.5Z' });
    expect(parsed).toEqual({ ok: true, value: { from: FROM, to: FROM + 30 * 60_000 + 500, granularity: 'minute' } });
    expect(parseParams(clicksQuerySchema, q({ granularity: 'hour' }))).toMatchObject({
      ok: true,
      value: { granularity: 'hour' },
    });
  });

  it.each([
    ['NaN', 'from'],
    ['-1', 'from'],
    ['1e12', 'from'],
    ['1.5', 'from'],
    ['', 'from'],
    ['0x10', 'from'],
    ['2026-01-01T00:00:00', 'no zone'],
    ['2026-02-30T00:00:00Z', 'no such day'],
    ['2026-01-01', 'date only'],
    ["' OR 1=1 --", 'injection'],
    ["\\'", 'backslash quote'],
    ['２０２６', 'unicode digits'],
    ['9'.repeat(17), 'too many digits'],
    ['4102444800001', 'after 2100'],
  ])('refuses from=%j (%s) and names the field', (from) => {
    const parsed = parseParams(clicksQuerySchema, q({ from }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.field).toBe('from');
      expect(parsed.error.error).toMatch(/^from: /);
    }
  });

  it('requires from and to, once each', () => {
    expect(parseParams(clicksQuerySchema, { to: String(FROM) })).toMatchObject({
      ok: false,
      error: { field: 'from', error: 'from: is required' },
    });
    expect(parseParams(clicksQuerySchema, q({ to: [String(FROM + 1), String(FROM + 2)] }))).toMatchObject({
      ok: false,
      error: { field: 'to' },
    });
  });

  it('refuses to <= from', () => {
    expect(parseParams(clicksQuerySchema, q({ to: String(FROM) }))).toEqual({
      ok: false,
      error: { error: 'to: must be after from', field: 'to' },
    });
  });

  it('caps the range by granularity and says so', () => {
    const justOver = (cap: number) => q({ to: String(FROM + cap + 1) });
    expect(parseParams(clicksQuerySchema, q({ to: String(FROM + MAX_RANGE_MS.minute) })).ok).toBe(true);
    const minute = parseParams(clicksQuerySchema, justOver(MAX_RANGE_MS.minute));
    expect(minute).toMatchObject({ ok: false, error: { field: 'to' } });
    if (!minute.ok) expect(minute.error.error).toContain('31 days');
    expect(parseParams(clicksQuerySchema, { ...justOver(MAX_RANGE_MS.minute), granularity: 'hour' }).ok).toBe(true);
    const hour = parseParams(clicksQuerySchema, { ...justOver(MAX_RANGE_MS.hour), granularity: 'hour' });
    if (hour.ok) throw new Error('accepted a 366-day+ range');
    expect(hour.error.error).toContain('366 days');
  });

  it('refuses an unknown granularity and unknown parameters', () => {
    expect(parseParams(clicksQuerySchema, q({ granularity: 'second' }))).toEqual({
      ok: false,
      error: { error: 'granularity: must be minute or hour', field: 'granularity' },
    });
    expect(parseParams(clicksQuerySchema, q({ "x' OR '1": '1' }))).toMatchObject({
      ok: false,
      error: { error: `unknown parameter "x' OR '1"` },
    });
  });
});

describe('top query limit', () => {
  it.each(['0', '-1', '1001', 'NaN', '1.5', '10abc', ' 10', '1e3', ''])('refuses limit=%j', (limit) => {
    expect(parseParams(topQuerySchema, q({ limit }))).toMatchObject({ ok: false, error: { field: 'limit' } });
  });

  it('accepts 1..1000 and defaults to 10', () => {
    expect(parseParams(topQuerySchema, q({ limit: '1000' }))).toMatchObject({ ok: true, value: { limit: 1000 } });
    expect(parseParams(topQuerySchema, q())).toMatchObject({ ok: true, value: { limit: 10 } });
  });
});

describe('ad_id path parameter', () => {
  it.each(["ad' OR 1=1 --", 'ad\\', 'ad"x', 'ad x', 'ad\u00e9', 'a'.repeat(65), '', 'ad%27', 'ad\n'])(
    'refuses %j',
    (ad_id) => {
      expect(parseParams(adPathSchema, { ad_id })).toMatchObject({ ok: false, error: { field: 'ad_id' } });
    },
  );

  it('accepts the click contract alphabet', () => {
    expect(parseParams(adPathSchema, { ad_id: 'Ad_1.x:y-z' })).toEqual({ ok: true, value: { ad_id: 'Ad_1.x:y-z' } });
  });
});
