/** Writes dead letters to their table, with the ad and window they were about when the row says. */
import type { ClickHouseClient } from '@clickhouse/client';
import { toDateTime } from '../shared/clickhouse.ts';
import { TABLES } from '../shared/names.ts';
import type { DeadLetter } from './clickhouse-writer.ts';

const DATE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

/** Lone UTF-16 surrogates made into U+FFFD: ClickHouse refuses them, and a dead letter must land. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export async function writeDeadLetters(
  client: ClickHouseClient,
  database: string,
  letters: DeadLetter[],
  now = Date.now(),
): Promise<void> {
  if (letters.length === 0) return;
  const values = letters.map((d) => {
    const adId = d.row?.ad_id;
    const windowStart = d.row?.window_start;
    return {
      topic: d.source.topic,
      partition: d.source.partition,
      offset: d.source.offset,
      target: d.target,
      ad_id: typeof adId === 'string' ? wellFormed(adId) : '',
      window_start:
        typeof windowStart === 'string' && DATE_TIME.test(windowStart) ? windowStart : '0000-00-00 00:00:00',
      raw_value: wellFormed(d.source.value?.toString('utf8') ?? ''),
      error: wellFormed(d.error),
      at: toDateTime(now),
    };
  });
  await client.insert({ table: `${database}.${TABLES.deadLetters}`, values, format: 'JSONEachRow' });
}
