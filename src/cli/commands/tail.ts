/**
 * `tollbooth tail <clicks|clicks_rejected|pipeline_out> [--max N]`: print a topic's records as JSON
 * lines, from the beginning. Without --max it follows the topic until Ctrl-C; with --max it stops
 * after N records, or once the topic has had nothing more to give for a few seconds.
 */
import type { Config } from '../../shared/config.ts';
import { createKafka } from '../../shared/clients.ts';
import { topicNames } from '../../shared/messages.ts';
import { option, refuse, type Invocation } from '../args.ts';

const END_OF_TOPIC_IDLE_MS = 3000;

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
    // With --max, the end of the topic ends the command: no record for this long after the group
    // joined (a fetch returns within half a second while records wait).
    let idle: NodeJS.Timeout | undefined;
    const rearm = () => {
      if (!Number.isFinite(max)) return;
      clearTimeout(idle);
      idle = setTimeout(resolve, END_OF_TOPIC_IDLE_MS);
    };
    consumer.on(consumer.events.GROUP_JOIN, rearm);
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
        else rearm();
      },
    });
  });
  await done;
  await consumer.disconnect();
  return 0;
}
