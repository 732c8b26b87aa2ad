/**
 * Integration tests need the real services. This brings them up with the same code as
 * `tollbooth services up` when they are not already running, and stops them afterwards
 * only if it was the one that started them.
 */
import { loadConfig } from '../../src/shared/config.ts';
import { servicesDown, servicesReady, servicesUp } from '../../src/cli/services/stack.ts';

let startedHere = false;

export async function setup(): Promise<void> {
  const config = loadConfig();
  if (await servicesReady(config)) return;
  const reports = await servicesUp(config, [], (m) => process.stderr.write(`[services] ${m}\n`));
  const failed = reports.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(`services did not come up:\n${failed.map((r) => `${r.name}: ${r.detail}`).join('\n')}`);
  startedHere = true;
}

export async function teardown(): Promise<void> {
  if (startedHere) await servicesDown(loadConfig());
}
