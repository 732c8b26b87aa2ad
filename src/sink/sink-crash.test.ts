/**
 * A Kafka consumer that kafkajs will not restart after a crash: the sink reports it (unhealthy,
 * `crashed` settles) so that its process exits and is restarted, instead of sitting healthy and
 * idle. The consumer here is a stand-in that only emits kafkajs's CRASH event; the sink's real
 * consumption is tested against Kafka in test/pipeline/.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka } from 'kafkajs';
import { expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { logger } from '../shared/logger.ts';
import { SinkMetrics } from './metrics.ts';
import { startSink } from './sink.ts';

function consumerStandIn() {
  const handlers = new Map<string, (event: unknown) => void>();
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (name: string, handler: (event: unknown) => void) => {
      handlers.set(name, handler);
      return () => handlers.delete(name);
    },
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async () => undefined,
    disconnect: async () => undefined,
  };
  const crash = (restart: boolean, message: string) =>
    handlers.get('consumer.crash')?.({ payload: { error: new Error(message), groupId: 'g', restart } });
  return { kafka: { consumer: () => consumer } as unknown as Kafka, crash };
}

it('stays up through a crash kafkajs restarts from, and reports one it does not', async () => {
  const { kafka, crash } = consumerStandIn();
  const sink = await startSink({
    config: loadConfig(),
    kafka,
    clickhouse: {} as ClickHouseClient,
    writer: { write: async () => [] },
    metrics: new SinkMetrics(),
    log: logger.child({}, { level: 'silent' }),
  });
  const settled = sink.crashed.then((err) => err.message);
  crash(true, 'The coordinator is loading');
  expect(sink.healthy()).toBe(true);
  expect(await Promise.race([settled, new Promise((r) => setTimeout(() => r('still running'), 50))])).toBe(
    'still running',
  );
  crash(false, 'not retriable');
  expect(await settled).toBe('not retriable');
  expect(sink.healthy()).toBe(false);
});
