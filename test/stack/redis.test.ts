/** Redis is the real thing: a Lua script applies two writes atomically, with AOF on. */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { assertTestResource, testPrefix } from '../helpers/prefix.ts';

const config = loadConfig();
const redis = new Redis({ host: config.host, port: config.redis.port, password: config.redis.password });
const prefix = testPrefix('redis');

// Sets a verdict and bumps a counter in one step, or neither if the verdict exists.
const SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', 60) then
  return redis.call('INCR', KEYS[2])
end
return -1`;

describe('Redis 7.0', () => {
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    keys.forEach(assertTestResource);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('applies a Lua script atomically and runs with appendonly', async () => {
    const keys = [`${prefix}verdict`, `${prefix}count`];
    expect(await redis.eval(SCRIPT, 2, ...keys, 'accepted')).toBe(1);
    expect(await redis.eval(SCRIPT, 2, ...keys, 'accepted')).toBe(-1);
    expect(await redis.mget(...keys)).toEqual(['accepted', '1']);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  });
});
