import { describe, expect, it } from 'vitest';
import { decideRestart, recordRestart, type RestartHistory } from './restart-policy.ts';

const fresh: RestartHistory = { restarts: [], upSince: 0 };

describe('restart policy', () => {
  it('restarts a first crash at once, then backs off while the process keeps dying young', () => {
    let h = fresh;
    const delays: number[] = [];
    let now = 100_000;
    for (let i = 0; i < 5; i++) {
      const d = decideRestart(h, now);
      expect(d.kind).toBe('restart');
      delays.push(d.atMs - now);
      now = d.atMs;
      h = recordRestart(h, now);
      now += 1000; // dies a second after each start
    }
    expect(delays).toEqual([0, 1000, 2000, 4000, 8000]);
  });

  it('reports a crash loop after five quick restarts and waits minutes before the next try', () => {
    let h = fresh;
    let now = 100_000;
    for (let i = 0; i < 5; i++) {
      now = decideRestart(h, now).atMs;
      h = recordRestart(h, now);
      now += 500;
    }
    const d = decideRestart(h, now);
    expect(d.kind).toBe('crash-loop');
    expect(d.atMs - now).toBe(300_000);
  });

  it('forgets old crashes once the process has stayed up a minute', () => {
    let h = fresh;
    let now = 100_000;
    for (let i = 0; i < 4; i++) {
      now = decideRestart(h, now).atMs;
      h = recordRestart(h, now);
      now += 500;
    }
    now += 120_000;
    expect(decideRestart(h, now)).toEqual({ kind: 'restart', atMs: now });
    expect(recordRestart(h, now).restarts).toEqual([now]);
  });
});
