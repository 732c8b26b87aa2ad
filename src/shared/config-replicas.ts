/**
 * ClickHouse replicas (TOLLBOOTH_CLICKHOUSE_REPLICAS, host:port HTTP addresses) and the ZooKeeper
 * ensemble their replicated tables coordinate through (TOLLBOOTH_ZOOKEEPER, host:port). Both
 * unset: one ClickHouse node, no ZooKeeper (the default). One without the other is refused.
 */
import { ConfigError } from './config-errors.ts';
import { addressList, list } from './config-values.ts';

export interface ClickHouseReplicaSettings {
  /** Empty on one node; otherwise two or more `host:port`, in order (the first is replica 1). */
  replicas: string[];
  /** Empty on one node; otherwise the ZooKeeper nodes, `host:port`. */
  zookeeper: string[];
}

type Env = Record<string, string | undefined>;

const addresses = (name: string, value: string | undefined): string[] =>
  list(value).length === 0 ? [] : addressList(name, value, '');

export function clickhouseReplicaSettings(env: Env): ClickHouseReplicaSettings {
  const replicas = addresses('CLICKHOUSE_REPLICAS', env.TOLLBOOTH_CLICKHOUSE_REPLICAS);
  const zookeeper = addresses('ZOOKEEPER', env.TOLLBOOTH_ZOOKEEPER);
  if (replicas.length === 1)
    throw new ConfigError('TOLLBOOTH_CLICKHOUSE_REPLICAS: name two or more host:port, or unset it for one node');
  if (new Set(replicas).size !== replicas.length)
    throw new ConfigError('TOLLBOOTH_CLICKHOUSE_REPLICAS: each replica once; remove the repeated host:port');
  if (replicas.length > 0 && zookeeper.length === 0)
    throw new ConfigError('TOLLBOOTH_ZOOKEEPER: set it (host:port,...) with TOLLBOOTH_CLICKHOUSE_REPLICAS');
  if (zookeeper.length > 0 && replicas.length === 0)
    throw new ConfigError('TOLLBOOTH_CLICKHOUSE_REPLICAS: set it with TOLLBOOTH_ZOOKEEPER, or unset both for one node');
  return { replicas, zookeeper };
}
