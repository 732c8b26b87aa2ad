/**
 * umzug's migration log, kept in ClickHouse: an append-only table of events (`up`, `down`,
 * `baselined`) with the checksum of the file as it was applied. A migration is applied when its
 * latest event is `up`. Appending (no mutations) suits 18.16.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { UmzugStorage } from 'umzug';
import { sqlIdentifier, sqlString } from '../shared/clickhouse.ts';
import { appendEvent } from '../shared/clickhouse-events.ts';

export interface AppliedMigration {
  name: string;
  /** The file's checksum when it was applied; empty for entries older than checksums. */
  checksum: string;
}

export type LogEvent = 'up' | 'down' | 'baselined';

export class ClickhouseMigrationStorage implements UmzugStorage {
  private readonly table: string;

  constructor(
    private readonly client: ClickHouseClient,
    database: string,
    /** The checksum of each migration file, recorded with its `up`. */
    private readonly checksums: ReadonlyMap<string, string>,
  ) {
    this.table = `${sqlIdentifier(database)}.schema_migrations`;
  }

  async ensureTable(): Promise<void> {
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${this.table} (name String, event String, at UInt64, checksum String DEFAULT '') ENGINE = MergeTree ORDER BY (name, at)`,
    });
    // Logs made before checksums existed lack the column.
    const rs = await this.client.query({ query: `DESCRIBE TABLE ${this.table}`, format: 'JSONEachRow' });
    const columns = ((await rs.json()) as Array<{ name: string }>).map((c) => c.name);
    if (!columns.includes('checksum'))
      await this.client.command({ query: `ALTER TABLE ${this.table} ADD COLUMN checksum String DEFAULT ''` });
  }

  async record(name: string, event: LogEvent, checksum = ''): Promise<void> {
    await appendEvent(this.client, this.table, { name, event, checksum });
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.record(name, 'up', this.checksums.get(name) ?? '');
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.record(name, 'down');
  }

  async executed(): Promise<string[]> {
    return (await this.applied()).map((m) => m.name);
  }

  /** Whether the log exists: a database that was never migrated has none, and gets none made by a read. */
  async exists(): Promise<boolean> {
    const rs = await this.client.query({ query: `EXISTS TABLE ${this.table}`, format: 'JSONEachRow' });
    return ((await rs.json()) as Array<{ result: number | string }>)[0]?.result?.toString() === '1';
  }

  /** Applied migrations with the checksum of their latest `up`, in name order (none without a log). */
  async applied(): Promise<AppliedMigration[]> {
    if (!(await this.exists())) return [];
    const rs = await this.client.query({
      query: `SELECT name, argMax(checksum, at) AS checksum FROM ${this.table} GROUP BY name HAVING argMax(event, at) = ${sqlString('up')} ORDER BY name`,
      format: 'JSONEachRow',
    });
    return (await rs.json()) as AppliedMigration[];
  }
}
