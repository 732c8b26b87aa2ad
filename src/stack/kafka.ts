/** Apache Kafka 4.x as one KRaft node, its jars resolved by Maven from stack/kafka/pom.xml. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Config } from '../shared/config.ts';
import { livePid, startDaemon, type DaemonSpec } from './process.ts';
import { runCommand } from './run.ts';
import { renderTemplate } from './render.ts';
import { logFile, pidFile, type Service, type StackContext } from './service.ts';

const libDir = (ctx: StackContext) => path.join(ctx.cacheDir, `kafka-${ctx.versions.kafka.version}`, 'libs');
// Named for what the folder holds: a cache resolved before the admin tools were added is redone.
const marker = (ctx: StackContext) => path.join(libDir(ctx), '.complete-with-tools');
const classpath = (ctx: StackContext) => `${libDir(ctx)}/*`;

// A small heap: one broker on a 2-core test machine; the page cache does the real work.
const JVM_OPTS = ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC', '-Djava.awt.headless=true'];

/** host and port of a "host:port" of TOLLBOOTH_KAFKA_BROKERS. */
export function splitAddress(address: string): { host: string; port: string } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: address.slice(at + 1) };
}

/**
 * server.properties from stack/kafka/ for the broker at `node` (0-based) of the config's broker
 * list: listening on bindHost, reached at its own address, node.id node + 1, every broker of the
 * list a voter of the controller quorum (one machine: the one broker, node.id 1).
 */
export function renderKafkaConfig(
  config: Config,
  at: { bindHost: string; file: string; dataDir: string; node?: number },
): void {
  const { kafka } = config;
  const node = at.node ?? 0;
  const me = splitAddress(kafka.brokers[node] ?? `${kafka.host}:${kafka.port}`);
  const values = {
    NODE_ID: node + 1,
    HOST: me.host,
    BIND_HOST: at.bindHost,
    PORT: me.port,
    CONTROLLER_PORT: kafka.controllerPort,
    QUORUM: kafka.brokers.map((b) => `${splitAddress(b).host}:${kafka.controllerPort}`).join(','),
    DATA_DIR: at.dataDir,
    REPLICATION_FACTOR: kafka.replicationFactor,
    MIN_INSYNC: kafka.minInsyncReplicas,
  };
  renderTemplate(config, 'kafka/server.properties', at.file, values);
}

function writeConfig(ctx: StackContext): { properties: string; dataDir: string } {
  const dir = ctx.serviceDir('kafka');
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const properties = path.join(dir, 'server.properties');
  renderKafkaConfig(ctx.config, { bindHost: ctx.config.kafka.host, file: properties, dataDir });
  return { properties, dataDir };
}

/** How the broker runs: also the command line of its systemd unit. */
export function kafkaDaemon(
  ctx: StackContext,
  properties = path.join(ctx.serviceDir('kafka'), 'server.properties'),
): DaemonSpec {
  const log4j = `-Dlog4j2.configurationFile=${path.join(ctx.config.repoRoot, 'stack/kafka/log4j2.properties')}`;
  return {
    command: 'java',
    args: [...JVM_OPTS, '-cp', classpath(ctx), log4j, `-Dkafka.logs.dir=${ctx.logDir}`, 'kafka.Kafka', properties],
    logFile: logFile(ctx, 'kafka'),
    pidFile: pidFile(ctx, 'kafka'),
  };
}

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding, as StorageTool expects. One
 * that starts with "-" is drawn again: StorageTool's argument parser takes it for an option.
 */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export const kafkaService: Service = {
  name: 'kafka',
  processes: ['kafka'],
  readyTimeoutSeconds: 90,
  endpoint: (ctx) => `${ctx.config.host}:${ctx.config.kafka.port}`,
  isInstalled: async (ctx) => existsSync(marker(ctx)),
  async install(ctx) {
    const { version, scala, log4j } = ctx.versions.kafka;
    ctx.progress(`maven: resolving kafka_${scala} ${version} and its runtime dependencies`);
    await runCommand(
      'mvn',
      [
        '-B',
        '-q',
        '-Dstyle.color=never',
        '-f',
        path.join(ctx.config.repoRoot, 'stack/kafka/pom.xml'),
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${libDir(ctx)}`,
        `-Dkafka.version=${version}`,
        `-Dscala.binary=${scala}`,
        `-Dlog4j.version=${log4j}`,
      ],
      { echo: 'mvn' },
    );
    writeFileSync(marker(ctx), `${version}\n`);
  },
  async start(ctx) {
    if (livePid(pidFile(ctx, 'kafka')) !== undefined) return;
    const { properties, dataDir } = writeConfig(ctx);
    const java = [
      '-cp',
      classpath(ctx),
      `-Dlog4j2.configurationFile=${path.join(ctx.config.repoRoot, 'stack/kafka/log4j2.properties')}`,
    ];
    if (!existsSync(path.join(dataDir, 'meta.properties'))) {
      ctx.progress('kafka: formatting the KRaft storage (first start)');
      await runCommand('java', [
        ...java,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        '-t',
        clusterId(),
        '-c',
        properties,
      ]);
    }
    startDaemon(kafkaDaemon(ctx, properties));
  },
  async ready(ctx) {
    const kafka = new Kafka({
      brokers: [kafkaService.endpoint(ctx)],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    } finally {
      await admin.disconnect().catch(() => {});
    }
  },
};
