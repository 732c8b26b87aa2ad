/** ClickHouse 18.16 from Debian, run with the project's config: ports, data and logs under the stack folder. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { clickhouseCredentials } from '../shared/clickhouse.ts';
import type { Config } from '../shared/config.ts';
import { aptInstall, hasBinary } from './apt.ts';
import { livePid, startDaemon, type DaemonSpec } from './process.ts';
import { renderTemplate } from './render.ts';
import { logFile, pidFile, type Service, type StackContext } from './service.ts';

const BINARY = '/usr/sbin/clickhouse-server';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface ClickHouseDirs {
  /** The address it listens on. */
  bindHost: string;
  /** Where its users may connect from: CIDRs or addresses. */
  networks: string[];
  confDir: string;
  dataDir: string;
  logDir: string;
}

/** Writes config.xml and users.xml (0600, password hashes) into dirs.confDir from stack/clickhouse/. */
export function renderClickHouseConfig(config: Config, dirs: ClickHouseDirs): string {
  const values = {
    HOST: dirs.bindHost,
    NETWORKS: dirs.networks.map((n) => `<ip>${n}</ip>`).join(''),
    HTTP_PORT: config.clickhouse.httpPort,
    NATIVE_PORT: config.clickhouse.nativePort,
    DATA_DIR: dirs.dataDir,
    CONF_DIR: dirs.confDir,
    LOG_DIR: dirs.logDir,
    DEFAULT_PASSWORD_HASH: sha256(config.clickhouse.defaultPassword),
    WRITER_PASSWORD_HASH: sha256(config.clickhouse.writerPassword),
    API_PASSWORD_HASH: sha256(config.clickhouse.apiPassword),
    ANALYST_PASSWORD_HASH: sha256(config.clickhouse.readerPassword),
  };
  // users.xml holds password hashes; config.xml names where it is.
  for (const file of ['config.xml', 'users.xml'])
    renderTemplate(config, `clickhouse/${file}`, path.join(dirs.confDir, file), values, { secret: true });
  return path.join(dirs.confDir, 'config.xml');
}

/** Writes config.xml and users.xml under the stack folder; returns config.xml's path. */
export function writeClickHouseConfig(ctx: StackContext): string {
  const dir = ctx.serviceDir('clickhouse');
  const dataDir = path.join(dir, 'data');
  for (const d of [dataDir, path.join(dataDir, 'tmp'), ctx.logDir]) mkdirSync(d, { recursive: true });
  const confDir = path.join(dir, 'conf');
  const networks = ['127.0.0.1', '::1'];
  return renderClickHouseConfig(ctx.config, {
    bindHost: ctx.config.host,
    networks,
    confDir,
    dataDir,
    logDir: ctx.logDir,
  });
}

/** How the server runs: also the command line of its systemd unit. */
export function clickhouseDaemon(
  ctx: StackContext,
  configFile = path.join(ctx.serviceDir('clickhouse'), 'conf', 'config.xml'),
): DaemonSpec {
  return {
    command: BINARY,
    args: [`--config-file=${configFile}`],
    cwd: ctx.serviceDir('clickhouse'),
    logFile: logFile(ctx, 'clickhouse'),
    pidFile: pidFile(ctx, 'clickhouse'),
  };
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
    startDaemon(clickhouseDaemon(ctx, writeClickHouseConfig(ctx)));
  },
  async ready(ctx) {
    const url = `http://${ctx.config.host}:${ctx.config.clickhouse.httpPort}/?query=SELECT%201`;
    const { username, password } = clickhouseCredentials(ctx.config, 'writer');
    const headers = { 'x-clickhouse-user': username, 'x-clickhouse-key': password };
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
    return res.ok && (await res.text()).trim() === '1';
  },
};
