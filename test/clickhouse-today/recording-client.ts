/**
 * A stand-in for @clickhouse/client that sends nothing: the real builders and writers run
 * against it, and it records each statement as the client would put it on the wire. A query
 * gets ` \nFORMAT <format>` appended (the client's formatQuery), a command is sent as written,
 * and an insert is `INSERT INTO <table> FORMAT <format>` with its rows after it, one JSON
 * object a line (the client streams them as the request body; a server reads them the same
 * way when they follow the query text). Settings the client would send with an insert's request
 * go in its SETTINGS clause, which has the same effect on that one statement. Reads are
 * answered by a callback.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../../src/shared/clickhouse.ts';

export interface Statement {
  /** Where it comes from, for the failure message. */
  name: string;
  sql: string;
  /** The engine must refuse it (a check that a bad row is not quietly written). */
  refused?: true;
}

type Answer = (query: string) => unknown[];

const trimmed = (sql: string): string => sql.trim().replace(/;+$/, '');

export class RecordingClient {
  readonly statements: Statement[] = [];
  private label = 'statement';
  /** How many statements of the current label had each name. */
  private seen = new Map<string, number>();
  private refused = false;

  constructor(private readonly answer: Answer = () => []) {}

  /** The client as the code under test takes it (only the methods below are ever called). */
  get client(): ClickHouseClient {
    return this as unknown as ClickHouseClient;
  }

  /**
   * Names the statements that `fn` sends: `label` (an insert: `label, into <table>`), then
   * `label (2)`, ... if it sends more.
   */
  async during(label: string, fn: () => Promise<unknown>, opts: { refused?: true } = {}): Promise<void> {
    this.label = label;
    this.seen = new Map();
    this.refused = opts.refused === true;
    try {
      await fn();
    } finally {
      this.refused = false;
    }
  }

  /** Records a statement sent outside the client (what the client's options stand for). */
  add(name: string, sql: string): void {
    this.statements.push({ name, sql });
  }

  private record(sql: string, detail?: string): void {
    const base = detail === undefined ? this.label : `${this.label}, ${detail}`;
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    const name = n === 1 ? base : `${base} (${n})`;
    this.statements.push({ name, sql, ...(this.refused ? { refused: true as const } : {}) });
  }

  async query({ query, format = 'JSON' }: { query: string; format?: string }): Promise<{ json(): Promise<unknown> }> {
    this.record(`${trimmed(query)} \nFORMAT ${format}`);
    const rows = this.answer(query);
    return { json: async () => rows };
  }

  async command({ query }: { query: string }): Promise<{ query_id: string }> {
    this.record(trimmed(query));
    return { query_id: '' };
  }

  async insert({
    table,
    values,
    format = 'JSONCompactEachRow',
    clickhouse_settings: settings = {},
  }: {
    table: string;
    values: unknown[];
    format?: string;
    clickhouse_settings?: Record<string, string | number>;
  }): Promise<{ executed: boolean }> {
    if (values.length === 0) return { executed: false };
    const rows = values.map((v) => JSON.stringify(v)).join('\n');
    const clause = Object.entries(settings)
      .map(([name, value]) => `${name} = ${typeof value === 'number' ? value : sqlString(value)}`)
      .join(', ');
    const into = table.trim();
    this.record(
      `INSERT INTO ${into}${clause === '' ? '' : ` SETTINGS ${clause}`} FORMAT ${format}\n${rows}`,
      `into ${into}`,
    );
    return { executed: true };
  }

  async close(): Promise<void> {}
}
