/** `tollbooth supervise [--services] [--apps ingest,sink,api,pg]`: the supervisor (started by `services up` and `start`). */
import type { Config } from '../../shared/config.ts';
import { parseSuperviseArgs, runSupervisor } from '../../supervisor/main.ts';
import { flag, option, refuse, type Invocation } from '../args.ts';

export async function run(inv: Invocation, config: Config): Promise<number> {
  const parsed = parseSuperviseArgs({ services: flag(inv, 'services'), apps: option(inv, 'apps') });
  if (typeof parsed === 'string') return refuse(inv.path, parsed);
  return runSupervisor(config, parsed);
}
