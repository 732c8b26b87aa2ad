/**
 * The services' configuration for the containers, rendered from the same stack/ templates the
 * host path uses: one source of settings. The compose file's `configure` step writes it into a
 * volume (/etc/tollbooth) that every service container mounts read-only; the secrets it hashes
 * or embeds are those of the state volume, generated there on the first start.
 *
 * In a container every server listens on all addresses of its network and is reached by its
 * service name (TOLLBOOTH_KAFKA_HOST, TOLLBOOTH_FLINK_HOST, ...); data goes to the paths the
 * images declare as volumes.
 */
import path from 'node:path';
import type { Config } from '../../shared/config.ts';
import { renderClickHouseConfig } from '../clickhouse.ts';
import { writeReplicaConfigs } from '../clickhouse-replicas.ts';
import { renderFlinkConfig } from '../flink.ts';
import { renderKafkaConfig } from '../kafka.ts';
import { renderRedisConfig } from '../redis.ts';
import { writeKafkaQuorum } from './kafka-quorum.ts';

const ANY_ADDRESS = '0.0.0.0';
// ClickHouse's port is not published: these reach it from the compose network only.
const PRIVATE_NETWORKS = ['127.0.0.1', '::1', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** Where each image keeps its data (its VOLUME). */
export const CONTAINER_DATA = {
  kafka: '/var/lib/kafka',
  flink: '/var/lib/flink',
  clickhouse: '/var/lib/clickhouse',
  redis: '/var/lib/redis',
} as const;

/** Writes kafka/, flink/, clickhouse/ and redis/ under `outDir`; returns the files written. */
export function writeContainerConfigs(config: Config, outDir: string, taskManagerHost: string): string[] {
  const kafka = path.join(outDir, 'kafka', 'server.properties');
  renderKafkaConfig(config, { bindHost: ANY_ADDRESS, file: kafka, dataDir: CONTAINER_DATA.kafka });
  const quorum = writeKafkaQuorum(config, outDir, ANY_ADDRESS, CONTAINER_DATA.kafka);
  const flink = path.join(outDir, 'flink', 'config.yaml');
  renderFlinkConfig(config, {
    bindHost: ANY_ADDRESS,
    taskManagerHost,
    file: flink,
    dataDir: CONTAINER_DATA.flink,
    runDir: '/tmp',
  });
  const clickhouse = renderClickHouseConfig(config, {
    bindHost: ANY_ADDRESS,
    networks: PRIVATE_NETWORKS,
    confDir: path.join(outDir, 'clickhouse'),
    dataDir: CONTAINER_DATA.clickhouse,
    logDir: '/var/log/clickhouse-server',
  });
  // A cluster's replicas: config-<n>.xml each (none on one node).
  const replicas = writeReplicaConfigs(config, clickhouse);
  const redis = path.join(outDir, 'redis', 'redis.conf');
  renderRedisConfig(config, { bindHost: ANY_ADDRESS, confFile: redis, dataDir: CONTAINER_DATA.redis });
  return [kafka, ...quorum, flink, clickhouse, ...replicas, path.join(outDir, 'clickhouse', 'users.xml'), redis];
}
