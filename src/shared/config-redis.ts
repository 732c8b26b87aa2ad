/**
 * The Redis Cluster settings (read by loadConfig, config.ts). TOLLBOOTH_REDIS_CLUSTER is the
 * seed list "host:port,host:port" ([v6]:port for IPv6); empty or unset means one Redis node at
 * TOLLBOOTH_REDIS_HOST:TOLLBOOTH_REDIS_PORT, as before. On the cluster, a verdict is
 * acknowledged only once TOLLBOOTH_REDIS_WAIT_REPLICAS replicas of each master it wrote to have
 * it, waiting at most TOLLBOOTH_REDIS_WAIT_TIMEOUT_MS (then the batch gets 503). The cluster's
 * nodes use the same password as the single node (requirepass and masterauth).
 */
import { ConfigError } from './config-errors.ts';

type Env = Record<string, string | undefined>;

export interface RedisClusterSettings {
  cluster: { host: string; port: string }[];
  waitReplicas: string;
  waitTimeoutMs: string;
}

function seed(value: string): { host: string; port: string } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value);
  if (!m) throw new ConfigError(`TOLLBOOTH_REDIS_CLUSTER: "${value}" is not host:port`);
  return { host: m[1] ?? m[2] ?? '', port: m[3] ?? '' };
}

export function redisClusterSettings(env: Env): RedisClusterSettings {
  const seeds = (env.TOLLBOOTH_REDIS_CLUSTER ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    cluster: seeds.map(seed),
    // One replica per master: the smallest cluster that survives losing a master.
    waitReplicas: env.TOLLBOOTH_REDIS_WAIT_REPLICAS ?? '1',
    // Replication on a LAN is sub-millisecond; half a second is a replica that is down or stuck.
    waitTimeoutMs: env.TOLLBOOTH_REDIS_WAIT_TIMEOUT_MS ?? '500',
  };
}
