/** `tollbooth tail <clicks|clicks_rejected|pipeline_out> [--max N]`: print a topic's records as JSON lines. */
import type { Config } from '../../shared/config.ts';
import { createKafka } from '../../shared/clients.ts';
import { topicNames } from '../../shared/messages.ts';
import { option, refuse, type Invocation } from '../args.ts';

export async function run(inv: Invocation, config: Config): Promise<number> {
  const topics: Record<string, string> = {
    ...topicNames(config),
    clicks_rejected: topicNames(config).rejected,
    pipeline_out: topicNames(config).pipelineOut,
  };
  const topic = topics[inv.positionals[0] ?? ''];
  const maxText = option(inv, 'max');
  const max = maxText === undefined ? Number.POSITIVE_INFINITY : Number(maxText);
  if (topic === undefined)
    return refuse(inv.path, `no topic "${inv.positionals[0]}" (clicks|clicks_rejected|pipeline_out)`);
  if (!(max > 0)) return refuse(inv.path, `--max: a number above 0, not "${maxText}"`);
  // A throwaway group: reading never moves the offsets of the sink or anyone else.
  const consumer = createKafka(config, 'tollbooth-tail').consumer({
    groupId: `tollbooth-tail-${process.pid}-${Date.now()}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let printed = 0;
  const done = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (printed >= max) return;
        console.log(
          JSON.stringify({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: JSON.parse(message.value?.toString() ?? 'null') as unknown,
          }),
        );
        printed += 1;
        if (printed >= max) resolve();
      },
    });
  });
  await done;
  await consumer.disconnect();
  return 0;
}
