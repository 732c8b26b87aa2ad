/** Redis 7.0 from Debian, run with the project's own config file (AOF on). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../shared/config.ts';
import { aptInstall, hasBinary } from './apt.ts';
import { livePid, startDaemon, type DaemonSpec } from './process.ts';
import { runCommand } from './run.ts';
import { renderTemplate } from './render.ts';
import { logFile, pidFile, type Service, type StackContext } from './service.ts';

const BINARY = '/usr/bin/redis-server';

/** How the server runs: also the command line of its systemd unit. */
export function redisDaemon(
  ctx: StackContext,
  confFile = path.join(ctx.serviceDir('redis'), 'redis.conf'),
): DaemonSpec {
  return { command: BINARY, args: [confFile], logFile: logFile(ctx, 'redis'), pidFile: pidFile(ctx, 'redis') };
}

/** Writes redis.conf (0600: it holds the requirepass value) from stack/redis/. */
export function renderRedisConfig(config: Config, at: { bindHost: string; confFile: string; dataDir: string }): void {
  const values = { HOST: at.bindHost, PORT: config.redis.port, DATA_DIR: at.dataDir, PASSWORD: config.redis.password };
  renderTemplate(config, 'redis/redis.conf', at.confFile, values, { secret: true });
}

export const redisService: Service = {
  name: 'redis',
  processes: ['redis'],
  readyTimeoutSeconds: 30,
  endpoint: (ctx) => `${ctx.config.host}:${ctx.config.redis.port}`,
  isInstalled: async () => hasBinary(BINARY),
  async install(ctx) {
    await aptInstall([ctx.versions.redis.debianPackage], ctx.progress);
    const version = await runCommand(BINARY, ['--version']);
    if (!version.includes(`v=${ctx.versions.redis.expect}`))
      ctx.progress(`warning: expected Redis ${ctx.versions.redis.expect}, got ${version.trim()}`);
  },
  async start(ctx) {
    if (livePid(pidFile(ctx, 'redis')) !== undefined) return;
    const dir = ctx.serviceDir('redis');
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const confFile = path.join(dir, 'redis.conf');
    renderRedisConfig(ctx.config, { bindHost: ctx.config.host, confFile, dataDir });
    startDaemon(redisDaemon(ctx, confFile));
  },
  async ready(ctx) {
    const { host, redis } = ctx.config;
    const client = new Redis({
      host,
      port: redis.port,
      password: redis.password,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  },
};
