/**
 * The verdict store in Redis: one EVALSHA of verdicts.lua per batch, so a batch's verdicts and
 * their side effects are applied atomically in one round trip; acknowledgements of Kafka writes
 * go in one EVALSHA of mark-written.lua per call. Scripts are loaded on the first NOSCRIPT
 * (Redis restarts and SCRIPT FLUSH forget them).
 */
import type { Redis } from 'ioredis';
import { isDecidedVerdict } from '../shared/verdict.ts';
import {
  addressAdKey,
  addressKey,
  blocklistKey,
  campaignsKey,
  duplicateKey,
  legacyVerdictKey,
  rateKey,
  scopedSinceKey,
  verdictKey,
} from './keys.ts';
import { script, type Script } from './scripts.ts';
import type { Decision, MemoryLimits, PendingClick, RateReason, VerdictStore, WrittenClick } from './store.ts';

const DECIDE = script('verdicts.lua');
const MARK_WRITTEN = script('mark-written.lua');
// Values per click in a reply of verdicts.lua: verdict, first ts, produce, campaign, reason, unscoped.
const REPLY_WIDTH = 6;
const REASONS: readonly string[] = ['user', 'address_ad', 'address'] satisfies RateReason[];

export interface RedisStoreOptions extends MemoryLimits {
  keyPrefix: string;
  now?: () => number;
}

export class RedisVerdictStore implements VerdictStore {
  private scopedSince: number | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly opts: RedisStoreOptions,
  ) {}

  async decide(batch: readonly PendingClick[]): Promise<Decision[]> {
    if (batch.length === 0) return [];
    const { keyPrefix: p, horizonSeconds, windowMs, ratePerWindow } = this.opts;
    const legacy = await this.readsLegacy();
    const keys = [blocklistKey(p, 'ip'), blocklistKey(p, 'user'), campaignsKey(p)];
    // A window's keys must outlive the last click that can still arrive for it: horizon + window.
    const windowTtl = horizonSeconds + Math.ceil(windowMs / 1000);
    const args: (string | number)[] = [horizonSeconds, windowTtl, ratePerWindow, legacy ? '1' : '0'];
    for (const { click: c, pre, window, rateWindow, address } of batch) {
      keys.push(
        verdictKey(p, c.sender, c.click_id),
        duplicateKey(p, c.sender, window, c.user_id, c.ad_id),
        rateKey(p, c.sender, rateWindow, c.user_id, c.ip),
      );
      if (legacy) keys.push(legacyVerdictKey(p, c.click_id));
      if (address)
        keys.push(addressAdKey(p, address.group, rateWindow, c.ad_id), addressKey(p, address.group, rateWindow));
      const limits = address ? `${address.perAddressAd}\n${address.perAddress}` : '\n';
      // One argument per click (verdicts.lua splits it on '\n', which no field can hold).
      args.push(
        `${c.click_id}\n${c.ad_id}\n${c.user_id}\n${c.client_ts}\n${c.ts}\n${c.ip}\n${pre ?? ''}\n${c.campaign_id ?? ''}\n${limits}`,
      );
    }
    const reply = await this.run(DECIDE, keys, args);
    if (!Array.isArray(reply) || reply.length !== batch.length * REPLY_WIDTH) {
      throw new Error(
        `verdict script returned ${Array.isArray(reply) ? reply.length : typeof reply} values for ${batch.length} clicks`,
      );
    }
    return batch.map((_, i) => decisionOf(reply.slice(i * REPLY_WIDTH, (i + 1) * REPLY_WIDTH)));
  }

  async markWritten(clicks: readonly WrittenClick[]): Promise<void> {
    if (clicks.length === 0) return;
    await this.run(
      MARK_WRITTEN,
      clicks.map((c) => verdictKey(this.opts.keyPrefix, c.sender, c.clickId)),
      [],
    );
  }

  /**
   * True for one horizon after this key prefix first saw sender namespaces: until then the
   * unscoped verdict memory written before them may still hold a retry's first verdict.
   */
  private async readsLegacy(): Promise<boolean> {
    const now = (this.opts.now ?? Date.now)();
    if (this.scopedSince === null) {
      const key = scopedSinceKey(this.opts.keyPrefix);
      await this.redis.set(key, String(now), 'NX');
      this.scopedSince = Number(await this.redis.get(key)) || now;
    }
    return now < this.scopedSince + this.opts.horizonSeconds * 1000;
  }

  private async run(s: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      await this.redis.script('LOAD', s.text);
      return await this.redis.evalsha(s.sha, keys.length, ...keys, ...args);
    }
  }
}

function decisionOf([verdict, ts, produce, campaign, reason, unscoped]: unknown[]): Decision {
  if (typeof verdict !== 'string' || !isDecidedVerdict(verdict))
    throw new Error(`verdict script returned verdict ${String(verdict)}`);
  const first = Number(ts);
  if (!Number.isSafeInteger(first)) throw new Error(`verdict script returned ts ${String(ts)}`);
  return {
    verdict,
    ts: first,
    produce: produce === '1',
    campaignId: typeof campaign === 'string' && campaign !== '' ? campaign : null,
    reason: typeof reason === 'string' && REASONS.includes(reason) ? (reason as RateReason) : null,
    ...(unscoped === '1' ? { unscoped: true } : {}),
  };
}
