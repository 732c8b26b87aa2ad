/**
 * Inserts pipeline rows into their ClickHouse tables, one insert per table per batch. A row that
 * ClickHouse refuses (a data error) comes back as a dead letter; 18.16 fails a whole insert
 * without naming the row, so a refused insert is split in halves until the bad rows stand alone.
 * An outage (connection refused, timeout, overload) is not a refusal: it throws, and the caller
 * retries the batch later, dead-lettering nothing.
 */
import { ClickHouseError, type ClickHouseClient } from '@clickhouse/client';
import type { Row } from './pipeline-record.ts';
import type { TableColumns } from './table-columns.ts';

export interface SourceRef {
  topic: string;
  partition: number;
  offset: string;
  /** The record as read; decoded as text only for a dead letter. */
  value: Buffer | null;
}

export interface PendingRow {
  table: string;
  row: Row;
  source: SourceRef;
}

export interface DeadLetter {
  source: SourceRef;
  target: string;
  row: Row | undefined;
  error: string;
}

export interface RowWriter {
  /** Writes every row it can; returns those ClickHouse refused. Throws when ClickHouse is unavailable. */
  write(rows: PendingRow[]): Promise<DeadLetter[]>;
}

// Server errors that say "not now" rather than "not this row": wait and retry.
const TRANSIENT_CODES = new Set([
  '159', // TIMEOUT_EXCEEDED
  '192',
  '193',
  '516', // unknown user, wrong password, authentication failed: configuration, not data
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '209',
  '210', // SOCKET_TIMEOUT, NETWORK_ERROR
  '241', // MEMORY_LIMIT_EXCEEDED
  '242', // TABLE_IS_READ_ONLY
  '252', // TOO_MANY_PARTS
  '81', // UNKNOWN_DATABASE: the database is being created or restored
  // Replicas (insert_quorum): a replica or ZooKeeper is down, or a quorum is not reached yet.
  '225', // NO_ZOOKEEPER
  '285', // TOO_FEW_LIVE_REPLICAS
  '286', // UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE
  '319', // UNKNOWN_STATUS_OF_INSERT
  '999', // KEEPER_EXCEPTION
]);

/**
 * The server's error code, if the server answered with one. 18.16 words its errors
 * "Code: 25, e.displayText() = ...", which the client does not parse into a ClickHouseError.
 */
export function serverErrorCode(err: unknown): string | undefined {
  if (err instanceof ClickHouseError) return err.code;
  return err instanceof Error ? /^Code: (\d+)[.,]/.exec(err.message)?.[1] : undefined;
}

/** A refusal of the data, not an outage: the server answered with a code that is not transient. */
export function isDataError(err: unknown): err is Error {
  const code = serverErrorCode(err);
  return code !== undefined && !TRANSIENT_CODES.has(code);
}

/**
 * A row naming a column its table lacks is refused (and so dead-lettered), not written without
 * that value: 18.16's default, which ClickHouse 22.6 reversed, so the sink says it (docs/stack.md).
 */
const INSERT_SETTINGS = { input_format_skip_unknown_fields: 0 } as const;

/** Marker tables (`*_closed`) go last: a reader that sees a window closed must find its counts. */
const writeOrder = (a: string, b: string) =>
  Number(a.endsWith('_closed')) - Number(b.endsWith('_closed')) || a.localeCompare(b);

export function clickhouseWriter(client: ClickHouseClient, database: string, tables: TableColumns): RowWriter {
  const insert = async (table: string, rows: PendingRow[], dead: DeadLetter[]): Promise<void> => {
    try {
      await client.insert({
        table: `${database}.${table}`,
        values: rows.map((r) => r.row),
        format: 'JSONEachRow',
        clickhouse_settings: INSERT_SETTINGS,
      });
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (rows.length === 1) {
        const [only] = rows;
        if (only !== undefined)
          dead.push({ source: only.source, target: table, row: only.row, error: err.message.slice(0, 2000) });
        return;
      }
      const half = Math.ceil(rows.length / 2);
      await insert(table, rows.slice(0, half), dead);
      await insert(table, rows.slice(half), dead);
    }
  };

  return {
    async write(rows) {
      const dead: DeadLetter[] = [];
      const byTable = new Map<string, PendingRow[]>();
      for (const r of rows) {
        const list = byTable.get(r.table);
        if (list === undefined) byTable.set(r.table, [r]);
        else list.push(r);
      }
      for (const table of [...byTable.keys()].sort(writeOrder)) {
        const pending = byTable.get(table) ?? [];
        const found = await tables.lookup(table);
        if (!found.ok) {
          for (const p of pending) dead.push({ source: p.source, target: table, row: p.row, error: found.error });
          continue;
        }
        // First emission wins where a table keeps the Kafka offset (pipeline_out has one partition).
        const withOffset = found.columns.has('kafka_offset')
          ? pending.map((p) => ({ ...p, row: { ...p.row, kafka_offset: Number(p.source.offset) } }))
          : pending;
        await insert(table, withOffset, dead);
      }
      return dead;
    },
  };
}
