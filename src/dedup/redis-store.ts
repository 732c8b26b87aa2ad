/**
 * The verdict store in Redis: one EVALSHA of verdicts.lua per batch, so a batch's verdicts and
 * their side effects are applied atomically in one round trip; acknowledgements of Kafka writes
 * go in one EVALSHA of mark-written.lua per call. Scripts are loaded on the first NOSCRIPT
 * (Redis restarts and SCRIPT FLUSH forget them).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isDecidedVerdict } from '../shared/verdict.ts';
import { blocklistKey, campaignsKey, duplicateKey, rateKey, verdictKey } from './keys.ts';
import type { Decision, MemoryLimits, PendingClick, VerdictStore } from './store.ts';

interface Script {
  text: string;
  sha: string;
}

function script(file: string): Script {
  const text = readFileSync(new URL(file, import.meta.url), 'utf8');
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

const DECIDE = script('./verdicts.lua');
const MARK_WRITTEN = script('./mark-written.lua');
// Values per click in a reply of verdicts.lua: verdict, first ts, produce, campaign.
const REPLY_WIDTH = 4;

export interface RedisStoreOptions extends MemoryLimits {
  keyPrefix: string;
}

export class RedisVerdictStore implements VerdictStore {
  constructor(
    private readonly redis: Redis,
    private readonly opts: RedisStoreOptions,
  ) {}

  async decide(batch: readonly PendingClick[]): Promise<Decision[]> {
    if (batch.length === 0) return [];
    const { keyPrefix: p, horizonSeconds, windowMs, ratePerWindow } = this.opts;
    const keys = [blocklistKey(p, 'ip'), blocklistKey(p, 'user'), campaignsKey(p)];
    // A window's keys must outlive the last click that can still arrive for it: horizon + window.
    const args: (string | number)[] = [horizonSeconds, horizonSeconds + Math.ceil(windowMs / 1000), ratePerWindow];
    for (const { click: c, pre, window } of batch) {
      keys.push(
        verdictKey(p, c.click_id),
        duplicateKey(p, window, c.user_id, c.ad_id),
        rateKey(p, window, c.user_id, c.ip),
      );
      // One argument per click (verdicts.lua splits it on '\n', which no field can hold).
      args.push(
        `${c.click_id}\n${c.ad_id}\n${c.user_id}\n${c.client_ts}\n${c.ts}\n${c.ip}\n${pre ?? ''}\n${c.campaign_id ?? ''}`,
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

  async markWritten(clickIds: readonly string[]): Promise<void> {
    if (clickIds.length === 0) return;
    await this.run(
      MARK_WRITTEN,
      clickIds.map((id) => verdictKey(this.opts.keyPrefix, id)),
      [],
    );
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

function decisionOf([verdict, ts, produce, campaign]: unknown[]): Decision {
  if (typeof verdict !== 'string' || !isDecidedVerdict(verdict))
    throw new Error(`verdict script returned verdict ${String(verdict)}`);
  const first = Number(ts);
  if (!Number.isSafeInteger(first)) throw new Error(`verdict script returned ts ${String(ts)}`);
  return {
    verdict,
    ts: first,
    produce: produce === '1',
    campaignId: typeof campaign === 'string' && campaign !== '' ? campaign : null,
  };
}
