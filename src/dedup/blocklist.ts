/** The blocklists of ips and user ids: Redis sets that verdicts.lua checks (rule 3, blocked). */
import type { Redis } from 'ioredis';
import { blocklistKey, type BlocklistKind } from './keys.ts';

export class Blocklist {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** Adds a value; returns false if it was already there. */
  async add(kind: BlocklistKind, value: string): Promise<boolean> {
    return (await this.redis.sadd(blocklistKey(this.keyPrefix, kind), value)) === 1;
  }

  /** Removes a value; returns false if it was not there. */
  async remove(kind: BlocklistKind, value: string): Promise<boolean> {
    return (await this.redis.srem(blocklistKey(this.keyPrefix, kind), value)) === 1;
  }

  async list(kind: BlocklistKind): Promise<string[]> {
    return (await this.redis.smembers(blocklistKey(this.keyPrefix, kind))).sort();
  }
}
