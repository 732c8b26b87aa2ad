/**
 * Integration tests need the real services. This brings them up with the same code as
 * `tollbooth services up` when they are not already running, and stops them afterwards
 * only if it was the one that started them.
 */
import { loadConfig } from '../../src/shared/config.ts';
import { servicesDown, servicesReady, servicesUp } from '../../src/stack/stack.ts';
import { aptInstall, hasBinary } from '../../src/stack/apt.ts';

let startedHere = false;

/** Clients the tests drive: a real psql, and Chromium for the dashboard test (Debian's). */
async function ensureTestClients(): Promise<void> {
  const missing = [
    ['/usr/bin/psql', 'postgresql-client'],
    ['/usr/bin/chromium', 'chromium'],
  ]
    .filter(([binary]) => !hasBinary(binary ?? ''))
    .map(([, pkg]) => pkg ?? '');
  if (missing.length > 0) await aptInstall(missing, (m) => process.stderr.write(`[test clients] ${m}\n`));
}

export async function setup(): Promise<void> {
  await ensureTestClients();
  const config = loadConfig();
  if (await servicesReady(config)) return;
  const reports = await servicesUp(config, [], (m) => process.stderr.write(`[services] ${m}\n`));
  const failed = reports.filter((r) => !r.ok);
  if (failed.length > 0)
    throw new Error(`services did not come up:\n${failed.map((r) => `${r.name}: ${r.detail}`).join('\n')}`);
  startedHere = true;
}

export async function teardown(): Promise<void> {
  if (startedHere) await servicesDown(loadConfig());
}
