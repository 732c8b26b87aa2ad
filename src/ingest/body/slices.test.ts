import { describe, expect, it } from 'vitest';
import { mapInSlices, nextTurn } from './slices.ts';

/** Busy-waits `ms`: the cost of one item. */
const work = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('mapInSlices', () => {
  it('maps in order and lets timers and other slices run between its slices', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const order: string[] = [];
    const [a, b] = await Promise.all([
      mapInSlices([1, 2, 3, 4, 5, 6], (n) => (work(1), order.push(`a${n}`), n * 2), 1.5),
      mapInSlices([1, 2, 3, 4, 5, 6], (n) => (work(1), order.push(`b${n}`), n * 3), 1.5),
    ]);
    clearInterval(ticker);
    expect(a).toEqual([2, 4, 6, 8, 10, 12]);
    expect(b).toEqual([3, 6, 9, 12, 15, 18]);
    expect(ticks).toBeGreaterThan(0);
    // Two at a time, taking turns: b starts long before a ends.
    expect(order.indexOf('b1')).toBeLessThan(order.indexOf('a6'));
  });

  it('does not yield for work that fits in one slice', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    await mapInSlices([1, 2, 3], (n) => n, 1000);
    expect(turned).toBe(false);
    await nextTurn();
    expect(turned).toBe(true);
  });
});
