/**
 * Which tables the sink may write and their columns, read from ClickHouse's own catalogue, so a
 * new aggregate needs only its migration: any table of the project's database except the
 * runner's bookkeeping. Refreshed when a record names a table not seen yet.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../shared/clickhouse.ts';
import { PROTECTED_TABLES } from '../shared/names.ts';

export type TableLookup = { ok: true; columns: ReadonlySet<string> } | { ok: false; error: string };

export class TableColumns {
  private tables = new Map<string, Set<string>>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  async lookup(table: string): Promise<TableLookup> {
    if (PROTECTED_TABLES.includes(table)) return { ok: false, error: `table ${table} is not a pipeline output` };
    if (!this.tables.has(table)) await this.refresh();
    const columns = this.tables.get(table);
    if (columns === undefined) return { ok: false, error: `no table ${table} in database ${this.database}` };
    return { ok: true, columns };
  }

  private async refresh(): Promise<void> {
    const rs = await this.client.query({
      // engine != 'View': a view cannot take inserts.
      query: `SELECT table, name FROM system.columns WHERE database = ${sqlString(this.database)}
              AND table IN (SELECT name FROM system.tables WHERE database = ${sqlString(this.database)} AND engine != 'View')`,
      format: 'JSONEachRow',
    });
    const tables = new Map<string, Set<string>>();
    for (const { table, name } of (await rs.json()) as Array<{ table: string; name: string }>) {
      const columns = tables.get(table) ?? new Set<string>();
      columns.add(name);
      tables.set(table, columns);
    }
    this.tables = tables;
  }
}
