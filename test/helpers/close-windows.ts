/** Moves every partition's watermark past `ts` with heartbeats and waits until its windows close. */
import { toDateTime } from '../../src/shared/clickhouse.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { heartbeat } from './ledger.ts';
import type { TestPipeline } from './pipeline.ts';
import { eventually } from './prefix.ts';

export async function closeThrough(p: TestPipeline, ts: number): Promise<void> {
  const partitions = [...Array(p.config.kafka.partitions).keys()];
  await p.producer.send({
    topic: topicNames(p.config).clicks,
    messages: partitions.map((partition) => ({
      partition,
      value: JSON.stringify(heartbeat(ts + 2 * p.config.pipeline.graceMs + 1)),
    })),
  });
  await eventually(
    async () => {
      const rows = await p.rows<{ n: string }>(
        `SELECT count() AS n FROM ${p.config.clickhouse.database}.windows_closed WHERE window_end >= '${toDateTime(ts)}'`,
      );
      return Number(rows[0]?.n) > 0 ? true : undefined;
    },
    90_000,
    `windows through ${toDateTime(ts)} to close`,
  );
}
