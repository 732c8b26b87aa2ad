import { describe, expect, it } from 'vitest';
import { ConnectionTracker, type Tracked } from './limits.ts';

function session(address: string, idleSince: number | undefined): Tracked & { terminated: string[] } {
  const terminated: string[] = [];
  return { address, idleSince: () => idleSince, terminate: (why) => terminated.push(why), terminated };
}

const limits = {
  maxSessions: 2,
  maxSessionsPerAddress: 2,
  maxPending: 1,
  authDeadlineMs: 1000,
  evictIdleAfterMs: 60_000,
};

describe('ConnectionTracker', () => {
  it('caps connections still logging in', () => {
    const t = new ConnectionTracker(limits);
    expect([t.admitPending(), t.admitPending()]).toEqual([true, false]);
    t.releasePending();
    expect(t.admitPending()).toBe(true);
  });

  it('caps sessions per address', () => {
    const t = new ConnectionTracker({ ...limits, maxSessions: 10 });
    expect(t.admitSession(session('a', 0))).toBeUndefined();
    expect(t.admitSession(session('a', 0))).toBeUndefined();
    expect(t.admitSession(session('a', 0))).toMatch(/too many connections from a/);
    expect(t.admitSession(session('b', 0))).toBeUndefined();
  });

  it('makes room for a new login by closing the session idle longest, never a busy one', () => {
    const t = new ConnectionTracker({ ...limits, maxSessionsPerAddress: 10 });
    const now = 1_000_000;
    const busy = session('a', undefined);
    const idle = session('b', now - 120_000);
    t.admitSession(busy, now);
    t.admitSession(idle, now);
    expect(t.admitSession(session('c', now), now)).toBeUndefined();
    expect(idle.terminated).toHaveLength(1);
    expect(busy.terminated).toHaveLength(0);
    expect(t.admitSession(session('d', now), now)).toMatch(/too many connections \(at most 2\)/);
  });
});
