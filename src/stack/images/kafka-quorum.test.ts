import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../shared/config.ts';
import { writeKafkaQuorum } from './kafka-quorum.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-kafka-quorum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cluster = {
  TOLLBOOTH_STACK_DIR: path.join(dir, 'state'),
  TOLLBOOTH_KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092,kafka-3:9092',
  TOLLBOOTH_KAFKA_REPLICATION_FACTOR: '3',
  TOLLBOOTH_KAFKA_MIN_INSYNC_REPLICAS: '2',
};
const write = (out: string) => writeKafkaQuorum(loadConfig(cluster), path.join(dir, out), '0.0.0.0', '/var/lib/kafka');
const read = (file: string) => readFileSync(file, 'utf8');

describe('a Kafka cluster’s quorum for the containers', () => {
  it('writes one config per broker, each a voter of all three, with three copies of everything', () => {
    const files = write('a');
    expect(files.map((f) => path.basename(f))).toEqual([
      'server-1.properties',
      'server-2.properties',
      'server-3.properties',
      'quorum.env',
    ]);
    const second = read(files[1] ?? '');
    expect(second).toContain('node.id=2');
    expect(second).toContain('advertised.listeners=PLAINTEXT://kafka-2:9092,CONTROLLER://kafka-2:9093');
    expect(second).toContain('controller.quorum.bootstrap.servers=kafka-1:9093,kafka-2:9093,kafka-3:9093');
    expect(second).toContain('transaction.state.log.replication.factor=3');
    expect(second).toContain('min.insync.replicas=2');
    expect(read(files[3] ?? '')).toMatch(/^INITIAL_CONTROLLERS=1@kafka-1:9093:[\w-]{22},2@kafka-2:9093:[\w-]{22},3@/m);
  });

  it('keeps the cluster id and directory ids across runs: a replaced disk joins the same cluster', () => {
    const first = read(write('b').at(-1) ?? '');
    const again = read(write('c').at(-1) ?? '');
    expect(again).toBe(first);
  });

  it('writes nothing for one broker', () => {
    expect(writeKafkaQuorum(loadConfig({ TOLLBOOTH_STACK_DIR: dir }), dir, '0.0.0.0', '/d')).toEqual([]);
  });

  it('refuses a broker list that is not host:port, and min.insync above the copies', () => {
    expect(() => loadConfig({ ...cluster, TOLLBOOTH_KAFKA_BROKERS: 'kafka-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...cluster, TOLLBOOTH_KAFKA_MIN_INSYNC_REPLICAS: '4' })).toThrow(
      /MIN_INSYNC_REPLICAS must not exceed/,
    );
  });
});
