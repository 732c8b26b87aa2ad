/**
 * The sink never blocks: a record ClickHouse refuses (a lone surrogate), one naming no table and
 * one that is not JSON go to the dead-letter table and the records after them still land; a
 * window with a dead letter is never final. ClickHouse being down is not a refusal: the batch
 * waits, nothing is dead-lettered, and it lands once ClickHouse answers.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { createClickHouse } from '../../src/shared/clickhouse.ts';
import { logger } from '../../src/shared/logger.ts';
import { topicNames } from '../../src/shared/names.ts';
import { clickhouseWriter } from '../../src/sink/clickhouse-writer.ts';
import { SinkMetrics } from '../../src/sink/metrics.ts';
import { startSink } from '../../src/sink/sink.ts';
import { TableColumns } from '../../src/sink/table-columns.ts';
import type { TestPipeline } from '../helpers/pipeline.ts';
import { eventually } from '../helpers/prefix.ts';
import { usePipelines } from '../helpers/use-pipelines.ts';

const startPipeline = usePipelines();
const quiet = logger.child({}, { level: 'silent' });

const partial = (ad: string, clicks: number) =>
  JSON.stringify({
    table: 'ad_clicks_partial',
    row: { ad_id: ad, campaign_id: '', window_start: '2026-01-03 10:00:00', clicks },
  });

async function produce(p: TestPipeline, values: string[]): Promise<void> {
  await p.producer.send({ topic: topicNames(p.config).pipelineOut, messages: values.map((value) => ({ value })) });
}

const provisional = (p: TestPipeline) =>
  p.rows<{ ad_id: string; clicks: string }>(
    `SELECT ad_id, clicks FROM ${p.config.clickhouse.database}.ad_clicks_provisional ORDER BY ad_id`,
  );

describe('sink dead letters', () => {
  it('dead-letters refused and malformed records and moves on', async () => {
    const p = await startPipeline('dlq');
    await produce(p, [
      partial('ad-ok-1', 3),
      '{"table":"ad_clicks_partial","row":{"ad_id":"bad\\ud800x","campaign_id":"","window_start":"2026-01-03 10:00:00","clicks":1}}',
      JSON.stringify({ table: 'no_such_table', row: { ad_id: 'x' } }),
      'not json at all',
      partial('ad-ok-2', 4),
    ]);
    const db = p.config.clickhouse.database;
    await eventually(async () => ((await provisional(p)).length === 2 ? true : undefined), 30_000, 'the good records');
    expect((await provisional(p)).map((r) => [r.ad_id, Number(r.clicks)])).toEqual([
      ['ad-ok-1', 3],
      ['ad-ok-2', 4],
    ]);
    const letters = await eventually(
      async () => {
        const rows = await p.rows<{ target: string; ad_id: string; error: string }>(
          `SELECT target, ad_id, error FROM ${db}.dead_letters ORDER BY offset`,
        );
        return rows.length === 3 ? rows : undefined;
      },
      30_000,
      'three dead letters',
    );
    expect(letters.map((l) => l.target)).toEqual(['ad_clicks_partial', 'no_such_table', '']);
    expect(letters[0]?.ad_id).toBe('bad\ufffdx');
    expect(letters[1]?.error).toMatch(/no table no_such_table/);
    expect(letters[2]?.error).toBe('not JSON');
    expect(p.sink.deadLettered()).toBe(3);
  });

  it('waits out a ClickHouse outage without dead-lettering, then writes the batch', async () => {
    const p = await startPipeline('dlq_outage');
    await p.sink.stop();
    // The same consumer group against a ClickHouse that does not answer (nothing listens on port 1).
    const down = loadConfig({
      TOLLBOOTH_TOPIC_PREFIX: p.config.kafka.topicPrefix,
      TOLLBOOTH_CLICKHOUSE_DATABASE: p.config.clickhouse.database,
      TOLLBOOTH_CLICKHOUSE_HTTP_PORT: '1',
    });
    const unreachable = createClickHouse(down, { requestTimeoutMs: 1000 });
    const db = down.clickhouse.database;
    const broken = await startSink({
      config: down,
      kafka: p.kafka,
      clickhouse: unreachable,
      writer: clickhouseWriter(unreachable, db, new TableColumns(unreachable, db)),
      metrics: new SinkMetrics(),
      log: quiet,
    });
    await produce(p, [partial('ad-wait', 5)]);
    await eventually(async () => (broken.healthy() ? undefined : true), 30_000, 'the sink to notice the outage');
    expect(broken.deadLettered()).toBe(0);
    await broken.stop();
    await unreachable.close();
    expect(await provisional(p)).toEqual([]);

    const healed = await startSink({
      config: p.config,
      kafka: p.kafka,
      clickhouse: p.clickhouse,
      writer: clickhouseWriter(p.clickhouse, db, new TableColumns(p.clickhouse, db)),
      metrics: new SinkMetrics(),
      log: quiet,
    });
    try {
      await eventually(
        async () => ((await provisional(p)).length === 1 ? true : undefined),
        60_000,
        'the batch after the outage',
      );
      expect((await provisional(p)).map((r) => [r.ad_id, Number(r.clicks)])).toEqual([['ad-wait', 5]]);
      expect(await p.rows(`SELECT * FROM ${db}.dead_letters`)).toEqual([]);
    } finally {
      await healed.stop();
    }
  });
});
