/** ClickHouse 18.16 from Debian, run with the project's config: ports, data and logs under the stack folder. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { aptInstall, hasBinary } from './apt.ts';
import { livePid, startDaemon, type DaemonSpec } from './process.ts';
import { fillTemplate } from '../../shared/template.ts';
import { logFile, pidFile, type Service, type StackContext } from './service.ts';

const BINARY = '/usr/sbin/clickhouse-server';

function writeConfig(ctx: StackContext): string {
  const dir = ctx.serviceDir('clickhouse');
  const confDir = path.join(dir, 'conf');
  const dataDir = path.join(dir, 'data');
  for (const d of [confDir, dataDir, path.join(dataDir, 'tmp'), ctx.logDir]) mkdirSync(d, { recursive: true });
  const values = {
    HOST: ctx.config.host,
    HTTP_PORT: ctx.config.clickhouse.httpPort,
    NATIVE_PORT: ctx.config.clickhouse.nativePort,
    DATA_DIR: dataDir,
    CONF_DIR: confDir,
    LOG_DIR: ctx.logDir,
    READER_PASSWORD: ctx.config.clickhouse.readerPassword,
  };
  for (const file of ['config.xml', 'users.xml']) {
    const template = readFileSync(path.join(ctx.config.repoRoot, 'stack/clickhouse', file), 'utf8');
    writeFileSync(path.join(confDir, file), fillTemplate(template, values));
  }
  return path.join(confDir, 'config.xml');
}

/** How the server runs: also the command line of its systemd unit. */
export function clickhouseDaemon(ctx: StackContext, configFile = path.join(ctx.serviceDir('clickhouse'), 'conf', 'config.xml')): DaemonSpec {
  return { command: BINARY, args: [`--config-file=${configFile}`], cwd: ctx.serviceDir('clickhouse'), logFile: logFile(ctx, 'clickhouse'), pidFile: pidFile(ctx, 'clickhouse') };
}

export const clickhouseService: Service = {
  name: 'clickhouse',
  processes: ['clickhouse'],
  readyTimeoutSeconds: 60,
  endpoint: (ctx) => `http://${ctx.config.host}:${ctx.config.clickhouse.httpPort}`,
  isInstalled: async () => hasBinary(BINARY) && hasBinary('/usr/bin/clickhouse-client'),
  async install(ctx) {
    await aptInstall([ctx.versions.clickhouse.debianPackage, 'clickhouse-client'], ctx.progress);
  },
  async start(ctx) {
    if (livePid(pidFile(ctx, 'clickhouse')) !== undefined) return;
    startDaemon(clickhouseDaemon(ctx, writeConfig(ctx)));
  },
  async ready(ctx) {
    const url = `http://${ctx.config.host}:${ctx.config.clickhouse.httpPort}/?query=SELECT%201`;
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok && (await res.text()).trim() === '1';
  },
};
