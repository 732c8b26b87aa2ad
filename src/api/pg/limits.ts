/**
 * Connection limits: a total and a per-address cap on sessions, a separate cap on connections
 * still logging in (so idle logins cannot starve real ones, and idle sessions cannot lock out new
 * logins: when the sessions are full, the one idle longest is closed to make room).
 */

export interface ConnectionLimits {
  /** Authenticated sessions at once. */
  maxSessions: number;
  /** Authenticated sessions from one address. */
  maxSessionsPerAddress: number;
  /** Connections not yet authenticated. */
  maxPending: number;
  /** How long a client has to authenticate. */
  authDeadlineMs: number;
  /** A full endpoint closes a session idle at least this long to let a new login in. */
  evictIdleAfterMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  // 32: ClickHouse's max_concurrent_queries is 100 and the pipeline and REST API need most of them.
  maxSessions: 32,
  // 16: half the sessions; on a shared host every analyst comes from loopback, so this only stops one runaway pool.
  maxSessionsPerAddress: 16,
  // 16 logins in flight: a password exchange takes milliseconds; more means a flood.
  maxPending: 16,
  // 10 s to authenticate: a person typing a password at psql's prompt needs a few.
  authDeadlineMs: 10_000,
  // 60 s idle: a pool's spare connection, not a query a person is waiting for.
  evictIdleAfterMs: 60_000,
};

export interface Tracked {
  address: string;
  /** When the session last finished a message; undefined while one runs. */
  idleSince(): number | undefined;
  terminate(why: string): void;
}

export class ConnectionTracker {
  private pending = 0;
  private readonly sessions = new Set<Tracked>();

  constructor(private readonly limits: ConnectionLimits) {}

  /** A new socket: false when too many are still logging in. */
  admitPending(): boolean {
    if (this.pending >= this.limits.maxPending) return false;
    this.pending++;
    return true;
  }

  releasePending(): void {
    this.pending--;
  }

  /** A login that succeeded: why it may not become a session, or undefined when it may. */
  admitSession(s: Tracked, now = Date.now()): string | undefined {
    const fromAddress = [...this.sessions].filter((x) => x.address === s.address).length;
    if (fromAddress >= this.limits.maxSessionsPerAddress)
      return `too many connections from ${s.address} (at most ${this.limits.maxSessionsPerAddress})`;
    if (this.sessions.size >= this.limits.maxSessions) {
      const idle = [...this.sessions]
        .map((x) => ({ x, since: x.idleSince() }))
        .filter(
          (c): c is { x: Tracked; since: number } =>
            c.since !== undefined && now - c.since >= this.limits.evictIdleAfterMs,
        )
        .sort((a, b) => a.since - b.since)[0];
      if (!idle) return `too many connections (at most ${this.limits.maxSessions})`;
      idle.x.terminate('closed to make room for a new login (idle connection)');
      this.sessions.delete(idle.x);
    }
    this.sessions.add(s);
    return undefined;
  }

  release(s: Tracked): void {
    this.sessions.delete(s);
  }
}
