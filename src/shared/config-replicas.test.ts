import { describe, expect, it } from 'vitest';
import { clickhouseReplicaSettings } from './config-replicas.ts';

const ZK = 'zookeeper-1:2181,zookeeper-2:2181,zookeeper-3:2181';

describe('ClickHouse replica settings', () => {
  it('are empty by default: one node, no ZooKeeper', () => {
    expect(clickhouseReplicaSettings({})).toEqual({ replicas: [], zookeeper: [] });
  });

  it('list the replicas and the ZooKeeper nodes in order', () => {
    const env = { TOLLBOOTH_CLICKHOUSE_REPLICAS: 'clickhouse-1:8123, clickhouse-2:8123', TOLLBOOTH_ZOOKEEPER: ZK };
    expect(clickhouseReplicaSettings(env)).toEqual({
      replicas: ['clickhouse-1:8123', 'clickhouse-2:8123'],
      zookeeper: ZK.split(','),
    });
  });

  it.each([
    [{ TOLLBOOTH_CLICKHOUSE_REPLICAS: 'a:8123,b:8123' }, /TOLLBOOTH_ZOOKEEPER: set it/],
    [{ TOLLBOOTH_ZOOKEEPER: ZK }, /TOLLBOOTH_CLICKHOUSE_REPLICAS: set it/],
    [{ TOLLBOOTH_CLICKHOUSE_REPLICAS: 'a:8123', TOLLBOOTH_ZOOKEEPER: ZK }, /two or more/],
    [{ TOLLBOOTH_CLICKHOUSE_REPLICAS: 'a:8123,a:8123', TOLLBOOTH_ZOOKEEPER: ZK }, /each replica once/],
    [{ TOLLBOOTH_CLICKHOUSE_REPLICAS: 'a,b:8123', TOLLBOOTH_ZOOKEEPER: ZK }, /"a" is not host:port/],
  ])('refuse %j in one line that says what to do', (env, message) => {
    expect(() => clickhouseReplicaSettings(env)).toThrow(message);
  });
});
