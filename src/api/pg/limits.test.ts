import { describe, expect, it } from 'vitest';
import { addressKey, ConnectionTracker, type Tracked } from './limits.ts';

function session(address: string, idleSince: number | undefined): Tracked & { terminated: string[] } {
  const terminated: string[] = [];
  return { address, idleSince: () => idleSince, terminate: (why) => terminated.push(why), terminated };
}

const limits = {
  maxSessions: 2,
  maxSessionsPerAddress: 2,
  maxPending: 3,
  maxPendingPerAddress: 2,
  authDeadlineMs: 1000,
  evictIdleAfterMs: 60_000,
};

describe('addressKey', () => {
  it('counts an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(addressKey('::ffff:203.0.113.77')).toBe('203.0.113.77');
    expect(addressKey('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('::1')).toBe('::1');
    expect(addressKey('2001:db8::ffff:1.2.3.4')).toBe('2001:db8::ffff:1.2.3.4');
  });
});

describe('ConnectionTracker', () => {
  it('caps connections still logging in, and one address holds only its share', () => {
    const t = new ConnectionTracker(limits);
    expect([t.admitPending('a'), t.admitPending('a')]).toEqual([undefined, undefined]);
    expect(t.admitPending('a')).toMatch(/too many connections from a are logging in \(at most 2\)/);
    expect(t.admitPending('b')).toBeUndefined();
    expect(t.admitPending('c')).toMatch(/^too many connections are logging in/);
    t.releasePending('a');
    expect(t.admitPending('a')).toBeUndefined();
  });

  it('caps sessions per address, closing an idle one of that address first', () => {
    const t = new ConnectionTracker({ ...limits, maxSessions: 10 });
    const now = 1_000_000;
    const fresh = session('a', now);
    const idle = session('a', now - 60_000);
    expect(t.admitSession(fresh, now)).toBeUndefined();
    expect(t.admitSession(idle, now)).toBeUndefined();
    expect(t.admitSession(session('b', now - 120_000), now)).toBeUndefined();
    expect(t.admitSession(session('a', now), now)).toBeUndefined();
    expect(idle.terminated).toHaveLength(1);
    expect(fresh.terminated).toHaveLength(0);
    expect(t.admitSession(session('a', now), now)).toMatch(/too many connections from a \(at most 2\)/);
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
