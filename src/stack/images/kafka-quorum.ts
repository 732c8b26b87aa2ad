/**
 * A Kafka cluster's controller quorum, for the containers: one server-<id>.properties per broker
 * of TOLLBOOTH_KAFKA_BROKERS and quorum.env, what the image's entrypoint formats a fresh volume
 * with. The cluster id and each voter's directory id are drawn once and kept in the state folder
 * (kafka-quorum.json): `configure` runs on every `up`, and a node formatted later (a replaced
 * disk) must join the same cluster, never start another.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../shared/config.ts';
import { renderKafkaConfig, splitAddress } from '../kafka.ts';

interface QuorumIdentity {
  clusterId: string;
  /** By node.id: the directory id each voter was first formatted with. */
  directoryIds: Record<string, string>;
}

/** 16 random bytes, base64url: a Kafka Uuid. No leading '-': StorageTool would read an option. */
function uuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function identity(stackDir: string, nodes: number): QuorumIdentity {
  const file = path.join(stackDir, 'kafka-quorum.json');
  const known: QuorumIdentity = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as QuorumIdentity)
    : { clusterId: uuid(), directoryIds: {} };
  let changed = !existsSync(file);
  for (let id = 1; id <= nodes; id++) {
    if (known.directoryIds[id] === undefined) {
      known.directoryIds[id] = uuid();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(known, null, 2)}\n`);
  }
  return known;
}

/** Writes kafka/server-<id>.properties and kafka/quorum.env when there are several brokers. */
export function writeKafkaQuorum(config: Config, outDir: string, bindHost: string, dataDir: string): string[] {
  const { brokers, controllerPort } = config.kafka;
  if (brokers.length < 2) return [];
  const { clusterId, directoryIds } = identity(config.stackDir, brokers.length);
  const files = brokers.map((_, node) => {
    const file = path.join(outDir, 'kafka', `server-${node + 1}.properties`);
    renderKafkaConfig(config, { bindHost, file, dataDir, node });
    return file;
  });
  const controller = (b: string) => `${splitAddress(b).host}:${controllerPort}`;
  const voters = brokers.map((b, node) => `${node + 1}@${controller(b)}:${directoryIds[node + 1] ?? ''}`);
  const env = path.join(outDir, 'kafka', 'quorum.env');
  writeFileSync(
    env,
    [
      `CLUSTER_ID=${clusterId}`,
      `INITIAL_CONTROLLERS=${voters.join(',')}`,
      `BOOTSTRAP_CONTROLLERS=${brokers.map(controller).join(',')}`,
      '',
    ].join('\n'),
  );
  return [...files, env];
}
