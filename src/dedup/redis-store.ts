/**
 * The verdict store in Redis: one EVALSHA of verdicts.lua per batch, so a batch's verdicts and
 * their counters are applied atomically. The script is loaded on the first NOSCRIPT (Redis
 * restarts and SCRIPT FLUSH forget it).
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isDecidedVerdict, type DecidedVerdict } from '../shared/verdict.ts';
import type { PendingClick, RuleLimits, VerdictStore } from './store.ts';

const SCRIPT = readFileSync(new URL('./verdicts.lua', import.meta.url), 'utf8');
const SHA = createHash('sha1').update(SCRIPT).digest('hex');

export interface RedisStoreOptions extends RuleLimits {
  keyPrefix: string;
  /** How long a first verdict and the window counters are remembered. */
  ttlSeconds: number;
}

export class RedisVerdictStore implements VerdictStore {
  constructor(private readonly redis: Redis, private readonly opts: RedisStoreOptions) {}

  async decide(batch: readonly PendingClick[]): Promise<DecidedVerdict[]> {
    if (batch.length === 0) return [];
    const args: (string | number)[] = [this.opts.keyPrefix, this.opts.ttlSeconds, this.opts.ratePerWindow];
    for (const { click, pre, window } of batch) {
      args.push(click.click_id, click.user_id, click.ad_id, click.ip, window, pre ?? '');
    }
    const reply = await this.run(args);
    if (!Array.isArray(reply) || reply.length !== batch.length) {
      throw new Error(`verdict script returned ${Array.isArray(reply) ? reply.length : typeof reply} for ${batch.length} clicks`);
    }
    return reply.map((v: unknown) => {
      if (typeof v !== 'string' || !isDecidedVerdict(v)) throw new Error(`verdict script returned ${String(v)}`);
      return v;
    });
  }

  private async run(args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(SHA, 0, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      await this.redis.script('LOAD', SCRIPT);
      return await this.redis.evalsha(SHA, 0, ...args);
    }
  }
}
