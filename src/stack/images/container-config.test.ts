import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.ts';
import { writeContainerConfigs } from './container-config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tb-container-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = loadConfig({
  TOLLBOOTH_STACK_DIR: path.join(dir, 'state'),
  TOLLBOOTH_KAFKA_HOST: 'kafka',
  TOLLBOOTH_REDIS_HOST: 'redis',
  TOLLBOOTH_CLICKHOUSE_HOST: 'clickhouse',
  TOLLBOOTH_FLINK_HOST: 'jobmanager',
  TOLLBOOTH_SQL_GATEWAY_HOST: 'sql-gateway',
});
const files = writeContainerConfigs(config, path.join(dir, 'conf'), 'taskmanager');
const read = (name: string) => readFileSync(files.find((f) => f.endsWith(name)) ?? '', 'utf8');

describe('the containers’ configs', () => {
  it('listen on every address and advertise the service names', () => {
    const kafka = read('server.properties');
    expect(kafka).toContain('listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093');
    expect(kafka).toContain('advertised.listeners=PLAINTEXT://kafka:9092,CONTROLLER://kafka:9093');
    expect(kafka).toContain('node.id=1');
    expect(kafka).toContain('offsets.topic.replication.factor=1');
    expect(kafka).toContain('controller.quorum.bootstrap.servers=kafka:9093');
    const flink = read('config.yaml');
    expect(flink).toMatch(/rpc:\n\s+address: jobmanager/);
    expect(flink).toMatch(/host: taskmanager/);
    expect(flink).toMatch(/address: sql-gateway\n\s+bind-address: 0.0.0.0/);
    expect(flink).toContain('dir: file:///var/lib/flink/checkpoints');
    expect(read('redis.conf')).toMatch(/^bind 0\.0\.0\.0$/m);
    expect(read('config.xml')).toContain('<listen_host>0.0.0.0</listen_host>');
  });

  it('hold the state volume’s secrets, 0600, and let the compose network reach ClickHouse', () => {
    expect(read('redis.conf')).toContain(`requirepass ${config.redis.password}`);
    const users = read('users.xml');
    expect(users).toContain('<ip>172.16.0.0/12</ip>');
    expect(users).not.toContain(config.clickhouse.writerPassword);
    for (const f of files.filter((f) => /users\.xml|redis\.conf/.test(f))) expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('write no replica config on one node', () => {
    expect(files.some((f) => /config-\d+\.xml$/.test(f))).toBe(false);
    expect(read('config.xml')).not.toContain('<zookeeper>');
  });

  it('write each replica its config: ZooKeeper, its name in the macros, its interserver address', () => {
    const cluster = loadConfig({
      TOLLBOOTH_STACK_DIR: path.join(dir, 'state'),
      TOLLBOOTH_CLICKHOUSE_REPLICAS: 'clickhouse-1:8123,clickhouse-2:8123',
      TOLLBOOTH_ZOOKEEPER: 'zookeeper-1:2181,zookeeper-2:2181,zookeeper-3:2181',
    });
    const written = writeContainerConfigs(cluster, path.join(dir, 'cluster'), 'taskmanager');
    const base = readFileSync(path.join(dir, 'cluster/clickhouse/config.xml'), 'utf8');
    const second = readFileSync(written.find((f) => f.endsWith('config-2.xml')) ?? '', 'utf8');
    expect(second.startsWith(base.slice(0, base.indexOf('</yandex>')))).toBe(true);
    expect(second).toContain('<node index="3"><host>zookeeper-3</host><port>2181</port></node>');
    expect(second).toContain('<replica>clickhouse-2</replica>');
    expect(second).toContain('<interserver_http_host>clickhouse-2</interserver_http_host>');
  });
});
