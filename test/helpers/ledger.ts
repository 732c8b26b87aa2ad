/**
 * Ground truth for the pipeline tests: what was sent, and what every count must therefore be.
 * Clicks are built in the documented message format (docs/messages.md).
 */
import {
  ANONYMOUS_SENDER,
  MESSAGE_VERSION,
  type ClickMessage,
  type HeartbeatMessage,
  type RejectedMessage,
} from '../../src/shared/messages.ts';

export type Verdict = RejectedMessage['verdict'];

const add = (map: Map<string, Set<string>>, key: string, id: string) =>
  map.set(key, (map.get(key) ?? new Set()).add(id));
const counts = (map: Map<string, Set<string>>) => Object.fromEntries([...map].map(([k, v]) => [k, v.size]).sort());

export class Ledger {
  private readonly onTime = new Map<string, Set<string>>();
  private readonly late = new Map<string, Set<string>>();
  private readonly rejected = new Map<string, Set<string>>();
  private seq = 0;

  constructor(
    readonly windowMs: number,
    private readonly runId: string,
  ) {}

  newId(): string {
    this.seq += 1;
    return `${this.runId}-${this.seq}`;
  }

  windowOf(ts: number): number {
    return ts - (ts % this.windowMs);
  }

  /** A click the pipeline must count in its window (sent before its window closed). */
  onTimeClick(ad: string, ts: number, id = this.newId()): ClickMessage {
    add(this.onTime, `${ad}|${this.windowOf(ts)}`, id);
    return clickMessage(id, ad, ts);
  }

  /** A click sent after its window closed: counted once in the late output, by its minute. */
  lateClick(ad: string, ts: number, id = this.newId()): ClickMessage {
    add(this.late, `${ad}|${ts - (ts % 60_000)}`, id);
    return clickMessage(id, ad, ts);
  }

  rejectedClick(ad: string, ts: number, verdict: Verdict, id = this.newId()): RejectedMessage {
    add(this.rejected, `${ad}|${this.windowOf(ts)}|${verdict}`, id);
    return { ...clickMessage(id, ad, ts), kind: 'rejected', verdict };
  }

  expectedWindows(): Record<string, number> {
    return counts(this.onTime);
  }

  expectedHours(): Record<string, number> {
    const hours = new Map<string, number>();
    for (const [key, ids] of this.onTime) {
      const [ad, start] = key.split('|');
      const hour = `${ad}|${Number(start) - (Number(start) % 3_600_000)}`;
      hours.set(hour, (hours.get(hour) ?? 0) + ids.size);
    }
    return Object.fromEntries([...hours].sort());
  }

  expectedLate(): Record<string, number> {
    return counts(this.late);
  }

  expectedRejected(): Record<string, number> {
    return counts(this.rejected);
  }
}

/** `sender`: whose namespace the click_id is in (anonymous by default). */
export function clickMessage(id: string, ad: string, ts: number, sender = ANONYMOUS_SENDER): ClickMessage {
  return {
    v: MESSAGE_VERSION,
    kind: 'click',
    click_id: id,
    ad_id: ad,
    user_id: `user-${id}`,
    ts,
    client_ts: ts,
    ip: '127.0.0.1',
    user_agent: 'test',
    campaign_id: null,
    ingested_at: ts,
    sender,
  };
}

export function heartbeat(ts: number): HeartbeatMessage {
  return { v: MESSAGE_VERSION, kind: 'heartbeat', ts };
}
