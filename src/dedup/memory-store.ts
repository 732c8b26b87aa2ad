/** The verdict rules over plain maps, for unit tests: same order and idempotency as verdicts.lua. */
import type { DecidedVerdict } from '../shared/verdict.ts';
import type { PendingClick, RuleLimits, VerdictStore } from './store.ts';

export class MemoryVerdictStore implements VerdictStore {
  readonly blockedIps = new Set<string>();
  readonly blockedUsers = new Set<string>();
  private readonly verdicts = new Map<string, DecidedVerdict>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly limits: RuleLimits) {}

  async decide(batch: readonly PendingClick[]): Promise<DecidedVerdict[]> {
    return batch.map((p) => {
      const first = this.verdicts.get(p.click.click_id) ?? this.firstVerdict(p);
      this.verdicts.set(p.click.click_id, first);
      return first;
    });
  }

  private firstVerdict({ click, pre, window }: PendingClick): DecidedVerdict {
    if (pre) return pre;
    if (this.blockedIps.has(click.ip) || this.blockedUsers.has(click.user_id)) return 'blocked';
    const dup = JSON.stringify(['dup', window, click.user_id, click.ad_id]);
    if (this.counts.has(dup)) return 'duplicate';
    const rate = JSON.stringify(['rate', window, click.user_id, click.ip]);
    const n = this.counts.get(rate) ?? 0;
    if (n >= this.limits.ratePerWindow) return 'rate_limited';
    this.counts.set(dup, 1).set(rate, n + 1);
    return 'accepted';
  }
}
