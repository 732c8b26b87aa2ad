/** What each baseline stores and reads; the front (front-process.ts) serves any of them over HTTP. */
import type { BenchClick } from '../load/workload.ts';

export interface CountStore {
  setUp(): Promise<void>;
  write(clicks: BenchClick[]): Promise<void>;
  top(fromMs: number, toMs: number, limit: number): Promise<Array<{ ad_id: string; clicks: number }>>;
  adClicks(adId: string, fromMs: number, toMs: number): Promise<Array<{ start: number; clicks: number }>>;
  /** Every ad's count over all time: for the exactness check. */
  countsByAd(): Promise<Array<{ ad_id: string; clicks: number }>>;
  close(): Promise<void>;
}

/** Which store a front runs, and where its database is. */
export type StoreSpec =
  | {
      kind: 'pg-upsert' | 'pg-batched';
      pg: { host: string; port: number; database: string; user: string };
      connections: number;
    }
  | { kind: 'clickhouse-raw'; database: string };
