/** `tollbooth tail <clicks|clicks_rejected|pipeline_out> [--max N]`: print a topic's records as JSON lines. */
import type { Config } from '../../shared/config.ts';
import { createKafka } from '../../shared/clients.ts';
import { topicNames } from '../../shared/messages.ts';

export async function run(args: string[], config: Config): Promise<number> {
  const topics: Record<string, string> = {
    ...topicNames(config),
    clicks_rejected: topicNames(config).rejected,
    pipeline_out: topicNames(config).pipelineOut,
  };
  const topic = topics[args[0] ?? ''];
  const max = args.includes('--max') ? Number(args[args.indexOf('--max') + 1]) : Number.POSITIVE_INFINITY;
  if (topic === undefined || !(max > 0)) {
    console.error(
      'usage: tollbooth tail clicks|clicks_rejected|pipeline_out [--max N]   (from the beginning; Ctrl-C stops)',
    );
    return 2;
  }
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
