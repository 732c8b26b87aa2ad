/** `tollbooth ingest`: runs the ingest server until SIGTERM/SIGINT, then shuts down gracefully. */
import type { Config } from '../../shared/config.ts';
import type { Invocation } from '../args.ts';
import { startIngest } from '../../ingest/main.ts';

export async function run(_inv: Invocation, config: Config): Promise<number> {
  const ingest = await startIngest(config);
  await ingest.closed;
  return 0;
}
