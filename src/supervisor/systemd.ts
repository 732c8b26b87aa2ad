/**
 * `tollbooth services systemd`: the same processes as systemd units, for a machine where systemd
 * plays the supervisor's part (restart on failure with a pause, give up and report after a burst).
 * Paths are this stack folder's; each unit runs the exact command line the supervisor would.
 */
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import type { DaemonSpec } from '../stack/process.ts';
import { clickhouseDaemon } from '../stack/clickhouse.ts';
import { flinkDaemon } from '../stack/flink.ts';
import { kafkaDaemon } from '../stack/kafka.ts';
import { redisDaemon } from '../stack/redis.ts';
import { stackContext } from '../stack/service.ts';
import { APPS } from './programs.ts';

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, '\\$1')}"`);

function unit(name: string, spec: DaemonSpec, after: string[], env: Record<string, string>): string {
  const environment = Object.entries({ ...env, ...(spec.env ?? {}) }).map(
    ([k, v]) => `Environment=${quote(`${k}=${v}`)}`,
  );
  return [
    `# /etc/systemd/system/tollbooth-${name}.service`,
    '[Unit]',
    `Description=Tollbooth ${name}`,
    ...(after.length > 0
      ? [
          `After=${after.map((a) => `tollbooth-${a}.service`).join(' ')}`,
          `Wants=${after.map((a) => `tollbooth-${a}.service`).join(' ')}`,
        ]
      : []),
    // Five starts in three minutes, then systemd stops trying and marks the unit failed (a crash loop).
    'StartLimitIntervalSec=180',
    'StartLimitBurst=5',
    '',
    '[Service]',
    `ExecStart=${[spec.command === 'java' || spec.command === 'bash' ? `/usr/bin/${spec.command}` : spec.command, ...spec.args].map(quote).join(' ')}`,
    ...(spec.cwd ? [`WorkingDirectory=${spec.cwd}`] : []),
    ...environment,
    'Restart=always',
    // A pause before each restart, so a flapping dependency is not hammered.
    'RestartSec=2',
    // Kafka and Flink flush and deregister on SIGTERM: give them the time `services down` gives.
    'TimeoutStopSec=30',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function systemdUnits(config: Config): string {
  const ctx = stackContext(config);
  // The settings this stack runs with, so the units reach the same ports and names.
  const env = {
    TOLLBOOTH_STACK_DIR: config.stackDir,
    TOLLBOOTH_HOST: config.host,
    TOLLBOOTH_KAFKA_PORT: String(config.kafka.port),
    TOLLBOOTH_TOPIC_PREFIX: config.kafka.topicPrefix,
    TOLLBOOTH_FLINK_REST_PORT: String(config.flink.restPort),
    TOLLBOOTH_SQL_GATEWAY_PORT: String(config.flink.gatewayPort),
    TOLLBOOTH_CLICKHOUSE_HTTP_PORT: String(config.clickhouse.httpPort),
    TOLLBOOTH_CLICKHOUSE_DATABASE: config.clickhouse.database,
    TOLLBOOTH_REDIS_PORT: String(config.redis.port),
    TOLLBOOTH_INGEST_PORT: String(config.ingest.port),
    TOLLBOOTH_API_PORT: String(config.api.port),
    TOLLBOOTH_PG_PORT: String(config.api.pgPort),
  };
  const cli = path.join(config.repoRoot, 'bin', 'tollbooth.js');
  const units = [
    unit('redis', redisDaemon(ctx), [], {}),
    unit('clickhouse', clickhouseDaemon(ctx), [], {}),
    unit('kafka', kafkaDaemon(ctx), [], {}),
    unit('flink-jobmanager', flinkDaemon(ctx, 'flink-jobmanager'), [], {}),
    unit('flink-taskmanager', flinkDaemon(ctx, 'flink-taskmanager'), ['flink-jobmanager'], {}),
    unit('flink-sql-gateway', flinkDaemon(ctx, 'flink-sql-gateway'), ['flink-jobmanager'], {}),
    ...APPS.map((app) =>
      unit(
        app,
        { command: process.execPath, args: [cli, app], cwd: config.repoRoot, logFile: '', pidFile: '' },
        ['kafka', 'redis', 'clickhouse'],
        env,
      ),
    ),
  ];
  const jobs = [
    '# After a JobManager restart (no Flink HA on one machine), bring the jobs back from their checkpoints:',
    '# /etc/systemd/system/tollbooth-flink-jobmanager.service.d/jobs-ensure.conf',
    '[Service]',
    ...Object.entries(env).map(([k, v]) => `Environment=${quote(`${k}=${v}`)}`),
    // 20 s: the JobManager answers its REST API and a TaskManager has registered by then.
    `ExecStartPost=/bin/sh -c 'sleep 20; ${process.execPath} ${cli} jobs ensure || true'`,
    '',
  ].join('\n');
  return [
    '# Tollbooth as systemd units: systemd restarts what dies, as `tollbooth supervise` does on one machine.',
    '# Write each block to the file named in its first line, then: systemctl daemon-reload && systemctl enable --now tollbooth-*.service',
    '# (run the first `tollbooth services up` and `migrate up` once before, to install and configure).',
    '',
    ...units,
    jobs,
  ].join('\n');
}
