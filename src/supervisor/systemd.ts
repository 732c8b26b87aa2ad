/**
 * `tollbooth services systemd`: the same processes as systemd units, for a machine where systemd
 * plays the supervisor's part (restart on failure with a pause, give up and report after a burst).
 * Paths are this stack folder's; each unit runs the exact command line the supervisor would.
 */
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import type { DaemonSpec } from '../cli/services/process.ts';
import { clickhouseDaemon } from '../cli/services/clickhouse.ts';
import { flinkDaemon } from '../cli/services/flink.ts';
import { kafkaDaemon } from '../cli/services/kafka.ts';
import { redisDaemon } from '../cli/services/redis.ts';
import { stackContext } from '../cli/services/service.ts';
import { APPS } from './programs.ts';

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, '\\$1')}"`);

function unit(name: string, spec: DaemonSpec, after: string[], env: Record<string, string>): string {
  const environment = Object.entries({ ...env, ...(spec.env ?? {}) }).map(([k, v]) => `Environment=${quote(`${k}=${v}`)}`);
  return [
    `# /etc/systemd/system/tollbooth-${name}.service`,
    '[Unit]',
    `Description=Tollbooth ${name}`,
    ...(after.length > 0 ? [`After=${after.map((a) => `tollbooth-${a}.service`).join(' ')}`, `Wants=${after.map((a) => `tollbooth-${a}.service`).join(' ')}`] : []),
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
  const env = { TOLLBOOTH_STACK_DIR: config.stackDir };
  const cli = path.join(config.repoRoot, 'bin', 'tollbooth.js');
  const units = [
    unit('redis', redisDaemon(ctx), [], {}),
    unit('clickhouse', clickhouseDaemon(ctx), [], {}),
    unit('kafka', kafkaDaemon(ctx), [], {}),
    unit('flink-jobmanager', flinkDaemon(ctx, 'flink-jobmanager'), [], {}),
    unit('flink-taskmanager', flinkDaemon(ctx, 'flink-taskmanager'), ['flink-jobmanager'], {}),
    unit('flink-sql-gateway', flinkDaemon(ctx, 'flink-sql-gateway'), ['flink-jobmanager'], {}),
    ...APPS.map((app) => unit(app, { command: process.execPath, args: [cli, app], cwd: config.repoRoot, logFile: '', pidFile: '' }, ['kafka', 'redis', 'clickhouse'], env)),
  ];
  const jobs = [
    '# After a JobManager restart (no Flink HA on one machine), bring the jobs back from their checkpoints:',
    '# /etc/systemd/system/tollbooth-flink-jobmanager.service.d/jobs-ensure.conf',
    '[Service]',
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
