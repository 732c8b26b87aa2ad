import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { BodyBudget } from './budget.ts';
import { readBody, type BodyBounds } from './read-body.ts';

const bounds = (budget: BodyBudget, over: Partial<BodyBounds> = {}): BodyBounds => ({
  maxBytes: 10,
  tooLarge: 'at most 10 bytes',
  budget,
  timeoutMs: 1000,
  ...over,
});

describe('readBody', () => {
  it('reads a body whole and holds its bytes until released', async () => {
    const budget = new BodyBudget(100);
    const payload = new PassThrough();
    const read = readBody(payload, undefined, bounds(budget));
    payload.write('{"a":');
    payload.end('1}');
    const body = await read;
    expect(body.ok && body.text).toBe('{"a":1}');
    expect(budget.held).toBe(7);
    if (body.ok) body.release();
    if (body.ok) body.release(); // twice is once
    expect(budget.held).toBe(0);
  });

  it('refuses a declared or sent body over the caller limit with its 413 text', async () => {
    const budget = new BodyBudget(100);
    expect(await readBody(new PassThrough(), 11, bounds(budget))).toEqual({
      ok: false,
      status: 413,
      error: 'at most 10 bytes',
    });
    const payload = new PassThrough();
    const read = readBody(payload, undefined, bounds(budget));
    payload.write('123456');
    payload.write('78901');
    expect(await read).toMatchObject({ ok: false, status: 413 });
    expect(budget.held).toBe(0);
  });

  it('refuses with 503 what would take the held bytes over the cap, and gives back what it held', async () => {
    const budget = new BodyBudget(12);
    expect(budget.take(5)).toBe(true);
    expect(await readBody(new PassThrough(), 8, bounds(budget))).toMatchObject({ ok: false, status: 503 });
    const payload = new PassThrough();
    const read = readBody(payload, undefined, bounds(budget));
    payload.write('1234');
    payload.write('5678');
    expect(await read).toMatchObject({ ok: false, status: 503 });
    expect(budget.held).toBe(5);
  });

  it('answers 408 to a body that does not end within the deadline and releases its bytes', async () => {
    vi.useFakeTimers();
    try {
      const budget = new BodyBudget(100);
      const payload = new PassThrough();
      const read = readBody(payload, 10, bounds(budget));
      payload.write('12345');
      await vi.advanceTimersByTimeAsync(999);
      expect(budget.held).toBe(5);
      await vi.advanceTimersByTimeAsync(1);
      expect(await read).toMatchObject({ ok: false, status: 408 });
      expect(budget.held).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives the bytes back when the client goes away mid-body', async () => {
    const budget = new BodyBudget(100);
    const payload = new PassThrough();
    const read = readBody(payload, 10, bounds(budget));
    payload.write('12345');
    await new Promise((r) => setImmediate(r));
    payload.destroy();
    expect(await read).toMatchObject({ ok: false, status: 400 });
    expect(budget.held).toBe(0);
  });
});
