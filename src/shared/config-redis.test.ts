import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const env = (over: Record<string, string>) => ({ TOLLBOOTH_STACK_DIR: '.stack', ...over });

describe('Redis Cluster settings', () => {
  it('is one node by default, with WAIT for 1 replica up to 500 ms if a cluster is set', () => {
    const { redis } = loadConfig(env({}));
    expect([redis.cluster, redis.waitReplicas, redis.waitTimeoutMs]).toEqual([[], 1, 500]);
    expect(loadConfig(env({ TOLLBOOTH_REDIS_CLUSTER: ' ' })).redis.cluster).toEqual([]);
  });

  it('parses the seed list, IPv6 in brackets, and the WAIT settings', () => {
    const { redis } = loadConfig(
      env({
        TOLLBOOTH_REDIS_CLUSTER: '10.0.0.1:7000, redis-b:7001,[fd00::1]:7002',
        TOLLBOOTH_REDIS_WAIT_REPLICAS: '2',
        TOLLBOOTH_REDIS_WAIT_TIMEOUT_MS: '250',
      }),
    );
    expect(redis.cluster).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
      { host: 'fd00::1', port: 7002 },
    ]);
    expect([redis.waitReplicas, redis.waitTimeoutMs]).toEqual([2, 250]);
  });

  it('refuses a seed that is not host:port, and bad WAIT settings, naming the variable', () => {
    for (const bad of ['10.0.0.1', 'host:port', ':7000', '10.0.0.1:7000:1', 'h:70000'])
      expect(() => loadConfig(env({ TOLLBOOTH_REDIS_CLUSTER: bad })), bad).toThrow(ConfigError);
    expect(() => loadConfig(env({ TOLLBOOTH_REDIS_CLUSTER: 'h:7000,oops' }))).toThrow(/TOLLBOOTH_REDIS_CLUSTER/);
    expect(() => loadConfig(env({ TOLLBOOTH_REDIS_WAIT_REPLICAS: '-1' }))).toThrow(/TOLLBOOTH_REDIS_WAIT_REPLICAS/);
    expect(() => loadConfig(env({ TOLLBOOTH_REDIS_WAIT_TIMEOUT_MS: '0' }))).toThrow(/TOLLBOOTH_REDIS_WAIT_TIMEOUT_MS/);
  });
});
