/** `tollbooth api`: runs the stats API (REST, /docs, /metrics, dashboard) until SIGTERM/SIGINT. */
import type { Config } from '../../shared/config.ts';
import type { Invocation } from '../args.ts';
import { startApi } from '../../api/main.ts';

export async function run(_inv: Invocation, config: Config): Promise<number> {
  const api = await startApi(config);
  await api.closed;
  return 0;
}
