/**
 * The supervisor on a test's own program (a stats API under a test prefix, so the shared
 * services are never touched): a SIGKILLed process comes back with its restart counted, one
 * stopped on purpose stays down, and one that cannot start is reported as a crash loop
 * instead of being restarted in a tight loop.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentWith, loadConfig } from '../../src/shared/config.ts';
import { livePid } from '../../src/stack/process.ts';
import { stopProcesses } from '../../src/stack/stack.ts';
import { appProgram } from '../../src/supervisor/programs.ts';
import { startSupervisor, stopSupervisor } from '../../src/supervisor/control.ts';
import { readState, supervisorFiles } from '../../src/supervisor/state.ts';
import { closedPort } from '../ingest/harness.ts';
import { eventually, testPrefix } from '../helpers/prefix.ts';

const prefix = testPrefix('sup');
let blocker: Server | undefined;

async function setUp(port: number) {
  const env = { TOLLBOOTH_TOPIC_PREFIX: prefix, TOLLBOOTH_API_PORT: String(port) };
  const config = loadConfig(environmentWith(env));
  return { env, config, api: appProgram(config, 'api', env) };
}

const report = (config: ReturnType<typeof loadConfig>) =>
  readState(supervisorFiles(config).state)?.programs.find((p) => p.name.endsWith('tollbooth-api'));

afterAll(async () => {
  const config = loadConfig(environmentWith({ TOLLBOOTH_TOPIC_PREFIX: prefix }));
  await stopSupervisor(config);
  await stopProcesses(config, [`${prefix}tollbooth-api`]);
  blocker?.close();
});

describe('supervisor', () => {
  it('restarts a killed process, leaves one stopped on purpose down', async () => {
    const { env, config, api } = await setUp(await closedPort());
    await api.start();
    const healthz = `http://${config.host}:${config.api.port}/healthz`;
    await eventually(async () => ((await fetch(healthz).catch(() => null))?.ok ? true : undefined), 30_000, 'the API');
    await startSupervisor(config, { services: false, apps: ['api'] }, env);

    const first = livePid(api.pidFile);
    expect(first).toBeDefined();
    process.kill(first ?? 0, 'SIGKILL');
    const second = await eventually(
      async () => {
        const pid = livePid(api.pidFile);
        return pid !== undefined && pid !== first ? pid : undefined;
      },
      15_000,
      'the supervisor to restart the API',
    );
    await eventually(
      async () => ((await fetch(healthz).catch(() => null))?.ok ? true : undefined),
      30_000,
      'the restarted API',
    );
    await eventually(
      async () => (report(config)?.restarts === 1 ? true : undefined),
      5000,
      'the restart to be counted',
    );

    await stopProcesses(config, [api.name]);
    await eventually(
      async () => (report(config)?.state === 'stopped' ? true : undefined),
      5000,
      'the supervisor to see the stop',
    );
    expect(livePid(api.pidFile)).toBeUndefined();
    expect(() => process.kill(second, 0)).toThrow();
    await stopSupervisor(config);
  });

  it('reports a process that keeps dying as a crash loop', async () => {
    const port = await closedPort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
    const { env, config, api } = await setUp(port);
    await startSupervisor(config, { services: false, apps: ['api'] }, env);
    // The port is taken: the API exits at start, every time.
    await api.start();
    // Restarts after 0, 1, 2, 4 and 8 s, then the crash loop; each start also takes the time Node
    // needs to load the API and fail to listen (seconds on a busy machine), hence 3 minutes.
    const looped = await eventually(
      async () => (report(config)?.state === 'crash-loop' ? report(config) : undefined),
      180_000,
      'the crash loop',
    );
    expect(looped?.restarts).toBe(5);
    expect((looped?.nextRestartAt ?? 0) - Date.now()).toBeGreaterThan(200_000);
    await stopSupervisor(config);
  });
});
