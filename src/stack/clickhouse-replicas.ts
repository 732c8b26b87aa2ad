/**
 * Per-replica ClickHouse config for a cluster (TOLLBOOTH_CLICKHOUSE_REPLICAS and
 * TOLLBOOTH_ZOOKEEPER set): config-<n>.xml is config.xml with replica n's section from
 * stack/clickhouse/replica.xml (ZooKeeper, macros, interserver address). A replica's name is the
 * host of its address (clickhouse-1), which is also where the others fetch its parts from.
 * On one node nothing is written: config.xml stays as it is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import { fillTemplate } from '../shared/template.ts';

/** Where replicas serve parts to each other (ClickHouse's usual interserver port). */
export const INTERSERVER_PORT = 9009;
/** One shard: every replica holds every row. */
export const SHARD = '01';

const hostOf = (address: string) => address.slice(0, address.lastIndexOf(':'));

/** The replica names, in order: the hosts of TOLLBOOTH_CLICKHOUSE_REPLICAS. */
export function replicaNames(config: Config): string[] {
  const names = config.clickhouse.replicas.map(hostOf);
  if (new Set(names).size !== names.length)
    throw new Error(
      'TOLLBOOTH_CLICKHOUSE_REPLICAS: each replica needs a host of its own (its name); use one host per replica',
    );
  return names;
}

function zookeeperNodes(config: Config): string {
  return config.clickhouse.zookeeper
    .map((address, i) => {
      const port = address.slice(address.lastIndexOf(':') + 1);
      return `        <node index="${i + 1}"><host>${hostOf(address)}</host><port>${port}</port></node>`;
    })
    .join('\n');
}

/** Writes config-1.xml, config-2.xml, ... next to the rendered config.xml; returns their paths. */
export function writeReplicaConfigs(config: Config, configXml: string): string[] {
  if (config.clickhouse.replicas.length === 0) return [];
  const base = readFileSync(configXml, 'utf8');
  const fragment = readFileSync(path.join(config.repoRoot, 'stack/clickhouse/replica.xml'), 'utf8');
  return replicaNames(config).map((replica, i) => {
    const section = fillTemplate(fragment, {
      REPLICA_NUMBER: i + 1,
      REPLICA: replica,
      SHARD,
      ZOOKEEPER_NODES: zookeeperNodes(config),
      INTERSERVER_PORT,
    });
    const file = path.join(path.dirname(configXml), `config-${i + 1}.xml`);
    writeFileSync(file, base.replace('</yandex>', `${section}</yandex>`));
    return file;
  });
}
