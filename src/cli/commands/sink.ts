/** `tollbooth sink`: runs the Kafka-to-ClickHouse sink in the foreground. */
import type { Config } from '../../shared/config.ts';
import type { Invocation } from '../args.ts';
import { runSink } from '../../sink/main.ts';

export async function run(_inv: Invocation, config: Config): Promise<number> {
  await runSink(config);
  return 0;
}
