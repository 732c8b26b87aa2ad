/** Inserts rows into the idempotent ClickHouse tables, one insert per table per batch. */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Row, Table } from './rows.ts';

// Markers go last: a reader that sees a window closed must already find its counts.
const TABLE_ORDER: Table[] = ['clicks_raw', 'clicks_rejected', 'clicks_late', 'ad_clicks_minute_log', 'windows_closed'];

export interface RowWriter {
  write(rows: Map<Table, Row[]>): Promise<void>;
}

export function clickhouseWriter(client: ClickHouseClient, database: string): RowWriter {
  return {
    async write(rows) {
      for (const table of TABLE_ORDER) {
        const values = rows.get(table);
        if (values === undefined || values.length === 0) continue;
        await client.insert({ table: `${database}.${table}`, values, format: 'JSONEachRow' });
      }
    },
  };
}
