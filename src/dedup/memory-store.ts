/** The verdict rules over plain maps, for unit tests: same order and memory as verdicts.lua. */
import type { DecidedVerdict } from '../shared/verdict.ts';
import { contentOf, type Decision, type PendingClick, type RuleLimits, type VerdictStore } from './store.ts';

interface Memory {
  verdict: DecidedVerdict;
  ts: number;
  content: string;
  acked: boolean;
}

export class MemoryVerdictStore implements VerdictStore {
  readonly blockedIps = new Set<string>();
  readonly blockedUsers = new Set<string>();
  readonly campaigns = new Map<string, string>();
  private readonly memory = new Map<string, Memory>();
  private readonly claims = new Map<string, string>();
  private readonly rates = new Map<string, Set<string>>();

  constructor(private readonly limits: RuleLimits) {}

  async decide(batch: readonly PendingClick[]): Promise<Decision[]> {
    return batch.map((p) => {
      const campaignId = this.campaigns.get(p.click.ad_id) ?? p.click.campaign_id;
      const seen = this.memory.get(p.click.click_id);
      if (seen) {
        return seen.content === contentOf(p.click)
          ? { verdict: seen.verdict, ts: seen.ts, produce: !seen.acked, campaignId }
          : { verdict: 'duplicate', ts: p.click.ts, produce: false, campaignId };
      }
      const verdict = this.firstVerdict(p);
      this.memory.set(p.click.click_id, { verdict, ts: p.click.ts, content: contentOf(p.click), acked: false });
      return { verdict, ts: p.click.ts, produce: true, campaignId };
    });
  }

  async markWritten(clickIds: readonly string[]): Promise<void> {
    for (const id of clickIds) {
      const m = this.memory.get(id);
      if (m) m.acked = true;
    }
  }

  private firstVerdict({ click, pre, window }: PendingClick): DecidedVerdict {
    if (pre) return pre;
    if (this.blockedIps.has(click.ip) || this.blockedUsers.has(click.user_id)) return 'blocked';
    const dup = JSON.stringify(['dup', window, click.user_id, click.ad_id]);
    if (this.claims.has(dup)) return 'duplicate';
    const rateKey = JSON.stringify(['rate', window, click.user_id, click.ip]);
    const rate = this.rates.get(rateKey) ?? new Set<string>();
    if (rate.size >= this.limits.ratePerWindow) return 'rate_limited';
    this.claims.set(dup, click.click_id);
    this.rates.set(rateKey, rate.add(click.click_id));
    return 'accepted';
  }
}
