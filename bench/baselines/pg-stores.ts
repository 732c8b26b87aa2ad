/**
 * The two PostgreSQL baselines a careful user might build:
 * - pg-upsert: a counter per ad and minute, one `INSERT ... ON CONFLICT DO UPDATE` per click
 *   (each its own transaction: several per batch would deadlock on popular ads);
 * - pg-batched: one row per click with click_id as primary key, each batch one
 *   `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING`, counted by GROUP BY at read time.
 */
import pg from 'pg';
import type { BenchClick } from '../load/workload.ts';
import type { CountStore } from './count-store.ts';

type Conn = { host: string; port: number; database: string; user: string };

const num = (rows: Array<{ ad_id: string; clicks: string }>) =>
  rows.map((r) => ({ ad_id: r.ad_id, clicks: Number(r.clicks) }));
const buckets = (rows: Array<{ start: Date; clicks: string }>) =>
  rows.map((r) => ({ start: r.start.getTime(), clicks: Number(r.clicks) }));
const at = (ms: number) => new Date(ms).toISOString();

export function pgUpsertStore(conn: Conn, connections: number): CountStore {
  const pool = new pg.Pool({ ...conn, max: connections });
  return {
    async setUp() {
      await pool.query(
        'CREATE TABLE IF NOT EXISTS ad_counts (ad_id text NOT NULL, minute timestamptz NOT NULL, clicks bigint NOT NULL, PRIMARY KEY (ad_id, minute))',
      );
    },
    async write(clicks: BenchClick[]) {
      const client = await pool.connect();
      try {
        for (const c of clicks) {
          await client.query(
            "INSERT INTO ad_counts (ad_id, minute, clicks) VALUES ($1, date_trunc('minute', $2::timestamptz), 1) ON CONFLICT (ad_id, minute) DO UPDATE SET clicks = ad_counts.clicks + 1",
            [c.ad_id, at(c.ts)],
          );
        }
      } finally {
        client.release();
      }
    },
    async top(fromMs, toMs, limit) {
      return num(
        (
          await pool.query(
            'SELECT ad_id, sum(clicks) AS clicks FROM ad_counts WHERE minute >= $1 AND minute < $2 GROUP BY ad_id ORDER BY 2 DESC LIMIT $3',
            [at(fromMs), at(toMs), limit],
          )
        ).rows,
      );
    },
    async adClicks(adId, fromMs, toMs) {
      return buckets(
        (
          await pool.query(
            'SELECT minute AS start, clicks FROM ad_counts WHERE ad_id = $1 AND minute >= $2 AND minute < $3 ORDER BY 1',
            [adId, at(fromMs), at(toMs)],
          )
        ).rows,
      );
    },
    async countsByAd() {
      return num((await pool.query('SELECT ad_id, sum(clicks) AS clicks FROM ad_counts GROUP BY ad_id')).rows);
    },
    close: () => pool.end(),
  };
}

export function pgBatchedStore(conn: Conn, connections: number): CountStore {
  const pool = new pg.Pool({ ...conn, max: connections });
  return {
    async setUp() {
      await pool.query(
        'CREATE TABLE IF NOT EXISTS clicks (click_id text PRIMARY KEY, ad_id text NOT NULL, ts timestamptz NOT NULL)',
      );
    },
    async write(clicks: BenchClick[]) {
      await pool.query(
        'INSERT INTO clicks (click_id, ad_id, ts) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) ON CONFLICT DO NOTHING',
        [clicks.map((c) => c.click_id), clicks.map((c) => c.ad_id), clicks.map((c) => at(c.ts))],
      );
    },
    async top(fromMs, toMs, limit) {
      return num(
        (
          await pool.query(
            'SELECT ad_id, count(*) AS clicks FROM clicks WHERE ts >= $1 AND ts < $2 GROUP BY ad_id ORDER BY 2 DESC LIMIT $3',
            [at(fromMs), at(toMs), limit],
          )
        ).rows,
      );
    },
    async adClicks(adId, fromMs, toMs) {
      return buckets(
        (
          await pool.query(
            "SELECT date_trunc('minute', ts) AS start, count(*) AS clicks FROM clicks WHERE ad_id = $1 AND ts >= $2 AND ts < $3 GROUP BY 1 ORDER BY 1",
            [adId, at(fromMs), at(toMs)],
          )
        ).rows,
      );
    },
    async countsByAd() {
      return num((await pool.query('SELECT ad_id, count(*) AS clicks FROM clicks GROUP BY ad_id')).rows);
    },
    close: () => pool.end(),
  };
}
