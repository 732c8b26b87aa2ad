/**
 * Apache Flink 2.2 session cluster and SQL Gateway: the distribution comes from PyPI
 * (apache-flink + apache-flink-libraries, installed without dependencies into a virtualenv),
 * the gateway and Kafka connector jars from Maven Central.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../shared/config.ts';
import { livePid, startDaemon, type DaemonSpec } from './process.ts';
import { runCommand } from './run.ts';
import { renderTemplate } from './render.ts';
import { logFile, pidFile, type Service, type StackContext } from './service.ts';

const installDir = (ctx: StackContext) => path.join(ctx.cacheDir, `flink-${ctx.versions.flink.version}`);
const marker = (ctx: StackContext) => path.join(installDir(ctx), '.complete');

/** FLINK_HOME: the pyflink package folder inside the virtualenv. */
export function flinkHome(ctx: StackContext): string {
  const lib = path.join(installDir(ctx), 'venv', 'lib');
  const python = readdirSync(lib).find((d) => d.startsWith('python'));
  if (python === undefined) throw new Error(`no python folder in ${lib}`);
  return path.join(lib, python, 'site-packages', 'pyflink');
}

async function installDistribution(ctx: StackContext): Promise<void> {
  const { version } = ctx.versions.flink;
  const venv = path.join(installDir(ctx), 'venv');
  await runCommand('python3', ['-m', 'venv', venv]);
  ctx.progress(`pip: apache-flink ${version} and apache-flink-libraries ${version} (about 300 MB)`);
  // --no-deps: we run the Java distribution only; PyFlink's Python dependencies are not needed.
  await runCommand(
    path.join(venv, 'bin', 'pip'),
    ['install', '--no-deps', '--progress-bar', 'off', `apache-flink==${version}`, `apache-flink-libraries==${version}`],
    { echo: 'pip' },
  );
}

async function installJars(ctx: StackContext, home: string): Promise<void> {
  const staging = path.join(installDir(ctx), 'jars');
  ctx.progress(
    `maven: flink-sql-gateway ${ctx.versions.flink.version}, flink-sql-connector-kafka ${ctx.versions.flink.kafkaConnector}`,
  );
  await runCommand(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      path.join(ctx.config.repoRoot, 'stack/flink/pom.xml'),
      'dependency:copy-dependencies',
      '-DexcludeTransitive=true',
      `-DoutputDirectory=${staging}`,
      `-Dflink.version=${ctx.versions.flink.version}`,
      `-Dflink.kafka.connector=${ctx.versions.flink.kafkaConnector}`,
    ],
    { echo: 'mvn' },
  );
  for (const jar of readdirSync(staging)) {
    const target = jar.startsWith('flink-sql-gateway') ? 'opt' : 'lib';
    renameSync(path.join(staging, jar), path.join(home, target, jar));
  }
}

function writeConfig(ctx: StackContext, home: string): string {
  const dir = ctx.serviceDir('flink');
  const confDir = path.join(dir, 'conf');
  const dataDir = ctx.config.flink.dataDir;
  const tmpDir = path.join(dataDir, 'tmp');
  for (const d of [confDir, dataDir, tmpDir, ctx.logDir, ctx.runDir]) mkdirSync(d, { recursive: true });
  for (const file of readdirSync(path.join(home, 'conf')).filter((f) => f.startsWith('log4j'))) {
    copyFileSync(path.join(home, 'conf', file), path.join(confDir, file));
  }
  const { host } = ctx.config;
  const file = path.join(confDir, 'config.yaml');
  renderFlinkConfig(ctx.config, { bindHost: host, taskManagerHost: host, file, dataDir, runDir: ctx.runDir });
  return confDir;
}

export interface FlinkConfigAt {
  bindHost: string;
  /** The address a TaskManager gives the JobManager (a container's own name). */
  taskManagerHost: string;
  file: string;
  dataDir: string;
  runDir: string;
}

/** config.yaml from stack/flink/: the JobManager and gateway at the config's hosts. */
export function renderFlinkConfig(config: Config, at: FlinkConfigAt): void {
  const { flink } = config;
  const values = {
    HOST: flink.host,
    BIND_HOST: at.bindHost,
    TASKMANAGER_HOST: at.taskManagerHost,
    GATEWAY_HOST: flink.gatewayHost,
    REST_PORT: flink.restPort,
    RPC_PORT: flink.rpcPort,
    GATEWAY_PORT: flink.gatewayPort,
    TASK_SLOTS: flink.taskSlots,
    PARALLELISM: flink.parallelism,
    CHECKPOINT_INTERVAL_MS: flink.checkpointIntervalMs,
    DATA_DIR: at.dataDir,
    RUN_DIR: at.runDir,
  };
  renderTemplate(config, 'flink/config.yaml', at.file, values);
}

const PROCESSES: Record<string, string[]> = {
  'flink-jobmanager': ['bin/jobmanager.sh', 'start-foreground'],
  'flink-taskmanager': ['bin/taskmanager.sh', 'start-foreground'],
  'flink-sql-gateway': ['bin/sql-gateway.sh', 'start-foreground'],
};

/**
 * Starts one Flink process in the foreground under our own pid file (the scripts exec java).
 * `confDir` is the configuration already written for this start; alone, it writes one.
 */
export function startFlinkProcess(ctx: StackContext, name: string, confDir = writeConfig(ctx, flinkHome(ctx))): void {
  startDaemon(flinkDaemon(ctx, name, confDir));
}

/** How one Flink process runs: also the command line of its systemd unit. */
export function flinkDaemon(
  ctx: StackContext,
  name: string,
  confDir = path.join(ctx.serviceDir('flink'), 'conf'),
): DaemonSpec {
  const home = flinkHome(ctx);
  const [script, ...args] = PROCESSES[name] ?? [];
  if (script === undefined) throw new Error(`unknown Flink process ${name}`);
  return {
    command: 'bash',
    args: [path.join(home, script), ...args],
    cwd: ctx.serviceDir('flink'),
    env: { FLINK_HOME: home, FLINK_CONF_DIR: confDir, FLINK_LOG_DIR: ctx.logDir },
    logFile: logFile(ctx, name),
    pidFile: pidFile(ctx, name),
  };
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

export const flinkService: Service = {
  name: 'flink',
  processes: Object.keys(PROCESSES),
  readyTimeoutSeconds: 120,
  endpoint: (ctx) =>
    `http://${ctx.config.host}:${ctx.config.flink.restPort} (SQL Gateway :${ctx.config.flink.gatewayPort})`,
  isInstalled: async (ctx) => existsSync(marker(ctx)),
  async install(ctx) {
    await installDistribution(ctx);
    await installJars(ctx, flinkHome(ctx));
    writeFileSync(marker(ctx), `${ctx.versions.flink.version}\n`);
  },
  async start(ctx) {
    const confDir = writeConfig(ctx, flinkHome(ctx));
    for (const name of Object.keys(PROCESSES)) {
      if (livePid(pidFile(ctx, name)) === undefined) startFlinkProcess(ctx, name, confDir);
    }
  },
  async ready(ctx) {
    const { host, flink } = ctx.config;
    const overview = (await getJson(`http://${host}:${flink.restPort}/overview`)) as { taskmanagers?: number };
    if ((overview.taskmanagers ?? 0) < 1) return false;
    await getJson(`http://${host}:${flink.gatewayPort}/v1/info`);
    return true;
  },
};
