/**
 * umzug's migration log, kept in ClickHouse: an append-only table of up/down events; a
 * migration is applied when its latest event is `up`. Appending (no mutations) suits 18.16.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { UmzugStorage } from 'umzug';
import { sqlIdentifier, sqlString } from '../shared/clickhouse.ts';
import { appendEvent } from '../shared/clickhouse-events.ts';

export class ClickhouseMigrationStorage implements UmzugStorage {
  private readonly table: string;

  constructor(
    private readonly client: ClickHouseClient,
    database: string,
  ) {
    this.table = `${sqlIdentifier(database)}.schema_migrations`;
  }

  async ensureTable(): Promise<void> {
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${this.table} (name String, event String, at UInt64) ENGINE = MergeTree ORDER BY (name, at)`,
    });
  }

  private async record(name: string, event: 'up' | 'down'): Promise<void> {
    await appendEvent(this.client, this.table, { name, event });
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.record(name, 'up');
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.record(name, 'down');
  }

  async executed(): Promise<string[]> {
    const rs = await this.client.query({
      query: `SELECT name FROM ${this.table} GROUP BY name HAVING argMax(event, at) = ${sqlString('up')} ORDER BY name`,
      format: 'JSONEachRow',
    });
    return ((await rs.json()) as Array<{ name: string }>).map((r) => r.name);
  }
}
