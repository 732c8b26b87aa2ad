/** The verdict rules over plain maps, for unit tests: same order and memory as verdicts.lua. */
import type { DecidedVerdict } from '../shared/verdict.ts';
import { namespaceOf } from './keys.ts';
import {
  contentOf,
  type Decision,
  type PendingClick,
  type RateReason,
  type RuleLimits,
  type VerdictStore,
  type WrittenClick,
} from './store.ts';

interface Memory {
  verdict: DecidedVerdict;
  ts: number;
  content: string;
  acked: boolean;
  /** Copied from the unscoped memory of before sender namespaces. */
  unscoped?: boolean;
}

const idOf = (sender: string | null, clickId: string) => JSON.stringify([namespaceOf(sender), clickId]);

export class MemoryVerdictStore implements VerdictStore {
  readonly blockedIps = new Set<string>();
  readonly blockedUsers = new Set<string>();
  readonly campaigns = new Map<string, string>();
  /** Unscoped memory from before sender namespaces, by click_id: read when a namespace has none. */
  readonly legacy = new Map<string, Memory>();
  private readonly memory = new Map<string, Memory>();
  private readonly claims = new Map<string, string>();
  private readonly windows = new Map<string, Set<string>>();

  constructor(private readonly limits: RuleLimits) {}

  async decide(batch: readonly PendingClick[]): Promise<Decision[]> {
    return batch.map((p) => {
      const campaignId = this.campaigns.get(p.click.ad_id) ?? p.click.campaign_id;
      const id = idOf(p.click.sender, p.click.click_id);
      const old = this.legacy.get(p.click.click_id);
      // An unscoped memory may be another sender's click_id: it counts only with the same content.
      if (!this.memory.has(id) && old?.content === contentOf(p.click)) this.memory.set(id, { ...old, unscoped: true });
      const seen = this.memory.get(id);
      if (seen) {
        return seen.content === contentOf(p.click)
          ? {
              verdict: seen.verdict,
              ts: seen.ts,
              produce: !seen.acked,
              campaignId,
              reason: null,
              ...(seen.unscoped && !seen.acked ? { unscoped: true } : {}),
            }
          : { verdict: 'duplicate', ts: p.click.ts, produce: false, campaignId, reason: null };
      }
      const { verdict, reason } = this.firstVerdict(p);
      this.memory.set(id, { verdict, ts: p.click.ts, content: contentOf(p.click), acked: false });
      return { verdict, ts: p.click.ts, produce: true, campaignId, reason };
    });
  }

  async markWritten(clicks: readonly WrittenClick[]): Promise<void> {
    for (const c of clicks) {
      const m = this.memory.get(idOf(c.sender, c.clickId));
      if (m) m.acked = true;
    }
  }

  private firstVerdict(p: PendingClick): { verdict: DecidedVerdict; reason: RateReason | null } {
    const { click, pre, window, rateWindow, address } = p;
    if (pre) return { verdict: pre, reason: null };
    if (this.blockedIps.has(click.ip) || this.blockedUsers.has(click.user_id))
      return { verdict: 'blocked', reason: null };
    const ns = namespaceOf(click.sender);
    const dup = JSON.stringify(['dup', ns, window, click.user_id, click.ad_id]);
    if (this.claims.has(dup)) return { verdict: 'duplicate', reason: null };
    const limits: [string, number, RateReason][] = [
      [JSON.stringify(['rate', ns, rateWindow, click.user_id, click.ip]), this.limits.ratePerWindow, 'user'],
    ];
    if (address) {
      limits.push([
        JSON.stringify(['addr', address.group, rateWindow, click.ad_id]),
        address.perAddressAd,
        'address_ad',
      ]);
      limits.push([JSON.stringify(['addr', address.group, rateWindow]), address.perAddress, 'address']);
    }
    for (const [key, max, reason] of limits) {
      if ((this.windows.get(key)?.size ?? 0) >= max) return { verdict: 'rate_limited', reason };
    }
    this.claims.set(dup, click.click_id);
    for (const [key] of limits) this.windows.set(key, (this.windows.get(key) ?? new Set<string>()).add(click.click_id));
    return { verdict: 'accepted', reason: null };
  }
}
