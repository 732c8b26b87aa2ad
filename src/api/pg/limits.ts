/**
 * Connection limits: a total and a per-address cap on sessions, and a separate cap on connections
 * still logging in, of which one address holds only a share (so sockets that connect and say
 * nothing cannot starve real logins). Before a session cap refuses a login, the session idle
 * longest (past a threshold) is closed to make room, so idle pools never lock anyone out.
 */

export interface ConnectionLimits {
  /** Authenticated sessions at once. */
  maxSessions: number;
  /** Authenticated sessions from one address. */
  maxSessionsPerAddress: number;
  /** Connections not yet authenticated. */
  maxPending: number;
  /** Connections not yet authenticated from one address. */
  maxPendingPerAddress: number;
  /** How long a client has to authenticate; its connection is closed then. */
  authDeadlineMs: number;
  /** A session idle at least this long is closed when a new login needs its slot. */
  evictIdleAfterMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  // 32: ClickHouse's max_concurrent_queries is 100 and the pipeline and REST API need most of them.
  maxSessions: 32,
  // 16: half the sessions; on a shared host every analyst comes from loopback, so this only stops one runaway pool.
  maxSessionsPerAddress: 16,
  // 16 logins in flight: a password exchange takes milliseconds; more means a flood.
  maxPending: 16,
  // 4: a quarter of the login slots, so one address flooding them leaves 12 to everyone else.
  maxPendingPerAddress: 4,
  // 10 s to authenticate: a person typing a password at psql's prompt needs a few.
  authDeadlineMs: 10_000,
  // 5 minutes idle: longer than a person reads a result, and a pool's spare connection is idle for good.
  evictIdleAfterMs: 5 * 60_000,
};

/** The address a client counts under: an IPv4-mapped IPv6 address is the IPv4 address it is. */
export function addressKey(remoteAddress: string | undefined): string {
  return (remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

export interface Tracked {
  address: string;
  /** When the session last finished a message; undefined while one runs. */
  idleSince(): number | undefined;
  terminate(why: string): void;
}

export class ConnectionTracker {
  private pending = 0;
  private readonly pendingFrom = new Map<string, number>();
  private readonly sessions = new Set<Tracked>();

  constructor(private readonly limits: ConnectionLimits) {}

  /** A new socket: why it may not log in now, or undefined when it holds a login slot. */
  admitPending(address: string): string | undefined {
    const fromAddress = this.pendingFrom.get(address) ?? 0;
    if (fromAddress >= this.limits.maxPendingPerAddress)
      return `too many connections from ${address} are logging in (at most ${this.limits.maxPendingPerAddress}); try again`;
    if (this.pending >= this.limits.maxPending) return 'too many connections are logging in; try again';
    this.pending++;
    this.pendingFrom.set(address, fromAddress + 1);
    return undefined;
  }

  releasePending(address: string): void {
    this.pending--;
    const left = (this.pendingFrom.get(address) ?? 1) - 1;
    if (left > 0) this.pendingFrom.set(address, left);
    else this.pendingFrom.delete(address);
  }

  /** A login that succeeded: why it may not become a session, or undefined when it may. */
  admitSession(s: Tracked, now = Date.now()): string | undefined {
    const sameAddress = (x: Tracked) => x.address === s.address;
    if ([...this.sessions].filter(sameAddress).length >= this.limits.maxSessionsPerAddress) {
      if (!this.evictIdlest(now, sameAddress))
        return `too many connections from ${s.address} (at most ${this.limits.maxSessionsPerAddress})`;
    }
    if (this.sessions.size >= this.limits.maxSessions && !this.evictIdlest(now, () => true))
      return `too many connections (at most ${this.limits.maxSessions})`;
    this.sessions.add(s);
    return undefined;
  }

  release(s: Tracked): void {
    this.sessions.delete(s);
  }

  /** Closes the session among `candidates` idle longest, if one is idle past the threshold. */
  private evictIdlest(now: number, candidates: (x: Tracked) => boolean): boolean {
    let idlest: { x: Tracked; since: number } | undefined;
    for (const x of this.sessions) {
      const since = x.idleSince();
      if (!candidates(x) || since === undefined || now - since < this.limits.evictIdleAfterMs) continue;
      if (idlest === undefined || since < idlest.since) idlest = { x, since };
    }
    if (idlest === undefined) return false;
    idlest.x.terminate('closed to make room for a new login (idle connection)');
    this.sessions.delete(idlest.x);
    return true;
  }
}
