/** `tollbooth supervise [--services] [--apps ingest,sink,api,pg]`: the supervisor (started by `services up` and `start`). */
import type { Config } from '../../shared/config.ts';
import { parseSuperviseArgs, runSupervisor } from '../../supervisor/main.ts';

export async function run(args: string[], config: Config): Promise<number> {
  const parsed = parseSuperviseArgs(args);
  if (typeof parsed === 'string') {
    console.error(parsed);
    return 2;
  }
  return runSupervisor(config, parsed);
}
