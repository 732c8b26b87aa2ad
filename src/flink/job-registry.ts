/**
 * Which version of each Flink job should run, kept in ClickHouse next to the migration log:
 * an append-only table of deploy and stop events; the latest event of a job is its state.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlIdentifier, sqlString } from '../shared/clickhouse.ts';
import { appendEvent } from '../shared/clickhouse-events.ts';

export interface JobRecord {
  name: string;
  hash: string;
  jobId: string;
  /** running: should be running (jobs ensure restarts it); stopped: stopped on purpose. */
  event: 'running' | 'stopped';
  /** The savepoint taken when it was stopped, if any. */
  savepoint: string;
  /** The rendered statements, so a restart runs exactly what was deployed. */
  setup: string[];
  inserts: string[];
  at: number;
}

interface Row {
  name: string;
  hash: string;
  job_id: string;
  event: string;
  savepoint: string;
  statements: string;
  last_at: string;
}

export class JobRegistry {
  private readonly table: string;

  constructor(
    private readonly client: ClickHouseClient,
    database: string,
  ) {
    this.table = `${sqlIdentifier(database)}.flink_jobs`;
  }

  async ensureTable(): Promise<void> {
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${this.table}
              (name String, hash String, job_id String, event String, savepoint String, statements String, at UInt64)
              ENGINE = MergeTree ORDER BY (name, at)`,
    });
  }

  async record(rec: Omit<JobRecord, 'at'>): Promise<void> {
    const statements = JSON.stringify({ setup: rec.setup, inserts: rec.inserts });
    await appendEvent(this.client, this.table, {
      name: rec.name,
      hash: rec.hash,
      job_id: rec.jobId,
      event: rec.event,
      savepoint: rec.savepoint,
      statements,
    });
  }

  async latest(name: string): Promise<JobRecord | undefined> {
    return (await this.query(`WHERE name = ${sqlString(name)}`))[0];
  }

  /** The latest record of every job ever deployed. */
  async all(): Promise<JobRecord[]> {
    return this.query('');
  }

  private async exists(): Promise<boolean> {
    const rs = await this.client.query({ query: `EXISTS TABLE ${this.table}`, format: 'JSONEachRow' });
    return ((await rs.json()) as Array<{ result: number | string }>)[0]?.result?.toString() === '1';
  }

  /** Reads only: a database that never saw a deploy has no registry table, and gets none made. */
  private async query(where: string): Promise<JobRecord[]> {
    if (!(await this.exists())) return [];
    const rs = await this.client.query({
      query: `SELECT name, argMax(hash, at) AS hash, argMax(job_id, at) AS job_id, argMax(event, at) AS event,
                     argMax(savepoint, at) AS savepoint, argMax(statements, at) AS statements, max(at) AS last_at
              FROM ${this.table} ${where} GROUP BY name ORDER BY name`,
      format: 'JSONEachRow',
    });
    return ((await rs.json()) as Row[]).map((r) => {
      const { setup, inserts } = JSON.parse(r.statements) as { setup: string[]; inserts: string[] };
      return {
        name: r.name,
        hash: r.hash,
        jobId: r.job_id,
        event: r.event === 'stopped' ? 'stopped' : 'running',
        savepoint: r.savepoint,
        setup,
        inserts,
        at: Number(r.last_at),
      };
    });
  }
}
