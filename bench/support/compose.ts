/**
 * One run of a compose file (docker-compose.yml, or deploy/cluster/compose.yml) under its own project name (its own containers, network and
 * volumes) with its published ports moved to free ones, driven as an operator would: compose v1
 * (`docker-compose`; Debian packages no v2), `exec` for the CLI, and faults by SIGKILL of a
 * container's process from the host (a `docker kill` would switch its restart policy off).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { closedPort } from './ports.ts';
import { environmentWith } from '../../src/shared/config.ts';
import { testPrefix } from './prefix.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface ComposeRun {
  project: string;
  ingestUrl: string;
  apiUrl: string;
  pg: { host: string; port: number };
  compose(...args: string[]): Promise<string>;
  /**
   * A command inside the service's container, its stdout: `docker exec` on the container's id, as
   * `docker-compose exec -T` would, without a Python compose start per call (a probe polled during
   * a rejoin takes that CPU from the rejoin).
   */
  exec(service: string, ...args: string[]): Promise<string>;
  /** `tollbooth ARGS` inside the api container; its stdout. */
  cli(...args: string[]): Promise<string>;
  /** SIGKILL of the service's main process, from the host: its restart policy brings it back. */
  kill(service: string): Promise<void>;
  /** Whether the service's container runs again and is healthy (or has no health check). */
  healthy(service: string): Promise<boolean>;
  restarts(service: string): Promise<number>;
  /**
   * A machine lost with its disk, and a new one in its place: the service's process is killed
   * (SIGKILL), its container and volume removed, and the service comes up on an empty volume.
   */
  replace(service: string, volume: string): Promise<void>;
}

/** The last line of a command's output (what `keys create` or a script run in a container prints last). */
export const lastLine = (out: string): string => out.trim().split('\n').at(-1) ?? '';

/** Settings a test may give the app containers (compose passes these through). */
export type ComposeEnv = Record<string, string>;

/** The images from this checkout: `tollbooth images build` (cached layers make it seconds). */
async function buildImages(): Promise<void> {
  await run('node', [path.join(repoRoot, 'bin/tollbooth.js'), 'images', 'build'], {
    env: environmentWith({}),
    maxBuffer: 64 * 1024 * 1024,
  });
}

export async function composeRun(area: string, env: ComposeEnv = {}, file = 'docker-compose.yml'): Promise<ComposeRun> {
  await buildImages();
  // Compose project names: lower case letters, digits, dashes and underscores.
  const project = testPrefix(area).replace(/[^a-z0-9_-]/g, '');
  const ports = { ingest: await closedPort(), api: await closedPort(), pg: await closedPort() };
  const environment = environmentWith({
    ...env,
    TOLLBOOTH_PUBLISH_INGEST: `127.0.0.1:${ports.ingest}`,
    TOLLBOOTH_PUBLISH_API: `127.0.0.1:${ports.api}`,
    TOLLBOOTH_PUBLISH_PG: `127.0.0.1:${ports.pg}`,
  });
  const compose = async (...args: string[]) =>
    (
      await run('docker-compose', ['-p', project, '-f', path.join(repoRoot, file), ...args], {
        env: environment,
        maxBuffer: 64 * 1024 * 1024,
      })
    ).stdout;
  // The service's container, as `docker-compose ps -q` finds it (one-off `run` containers aside).
  const container = async (service: string) =>
    (
      await run('docker', [
        'ps',
        '--all',
        '--quiet',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        `label=com.docker.compose.service=${service}`,
        '--filter',
        'label=com.docker.compose.oneoff=False',
      ])
    ).stdout.trim();
  const exec = async (service: string, ...args: string[]) =>
    (await run('docker', ['exec', await container(service), ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  const inspectId = async (id: string, format: string) =>
    (await run('docker', ['inspect', '--format', format, id])).stdout.trim();
  const inspect = async (service: string, format: string) => inspectId(await container(service), format);
  /** SIGKILL of the container's main process from the host; false when it runs none. */
  const killMain = async (id: string) => {
    const pid = await inspectId(id, '{{.State.Pid}}');
    if (!/^[1-9]\d*$/.test(pid)) return false;
    process.kill(Number(pid), 'SIGKILL');
    return true;
  };
  return {
    project,
    ingestUrl: `http://127.0.0.1:${ports.ingest}`,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    pg: { host: '127.0.0.1', port: ports.pg },
    compose,
    exec,
    cli: (...args) => exec('api', 'tollbooth', ...args),
    async kill(service) {
      if (!(await killMain(await container(service)))) throw new Error(`${service} runs no process`);
    },
    async healthy(service) {
      const state = await inspect(service, '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}');
      return state === 'running healthy' || state === 'running';
    },
    restarts: async (service) => Number(await inspect(service, '{{.RestartCount}}')),
    async replace(service, volume) {
      // The docker CLI on the container's id: a docker-compose (v1, Python) start fewer, which
      // takes seconds of the machine the lost node's replacement needs.
      const id = await container(service);
      await killMain(id);
      await run('docker', ['rm', '--force', '--volumes', id]);
      await run('docker', ['volume', 'rm', `${project}_${volume}`]);
      await compose('up', '-d', '--no-deps', service);
    },
  };
}
