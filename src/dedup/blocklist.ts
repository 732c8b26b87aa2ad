/**
 * The blocklists of ips and user ids: Redis sets that verdicts.lua checks (rule 3, blocked).
 * Values are stored as validateClick hands clicks over (ips normalized, user ids in NFC), so an
 * entry matches every spelling of its ip or user.
 */
import type { Cluster, Redis } from 'ioredis';
import { normalizeIp } from '../shared/ip.ts';
import { blocklistKey, type BlocklistKind } from './keys.ts';

/** The value as clicks carry it. */
export function blocklistValue(kind: BlocklistKind, value: string): string {
  return kind === 'ip' ? normalizeIp(value) : value.normalize('NFC');
}

export class Blocklist {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keyPrefix: string,
  ) {}

  /** Adds a value; returns false if it was already there. */
  async add(kind: BlocklistKind, value: string): Promise<boolean> {
    return (await this.redis.sadd(blocklistKey(this.keyPrefix, kind), blocklistValue(kind, value))) === 1;
  }

  /** Removes a value (any spelling of it); returns false if it was not there. */
  async remove(kind: BlocklistKind, value: string): Promise<boolean> {
    return (await this.redis.srem(blocklistKey(this.keyPrefix, kind), blocklistValue(kind, value))) === 1;
  }

  async list(kind: BlocklistKind): Promise<string[]> {
    return (await this.redis.smembers(blocklistKey(this.keyPrefix, kind))).sort();
  }
}
