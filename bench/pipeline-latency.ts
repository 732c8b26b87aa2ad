/**
 * Pipeline latency, end to end on the real services:
 *  (a) a click's 200 from the ingest to its provisional visibility in ClickHouse;
 *  (b) a window's end to its final row in ClickHouse.
 * Runs a whole pipeline under a bench prefix (its own topics, database, Flink job), a real
 * ingest over HTTP with wall-clock heartbeats, and 5-second windows so that a short run sees
 * many window closings (the latency to final does not depend on the window size).
 * Run: node --import tsx bench/pipeline-latency.ts [seconds]   (writes bench/results/pipeline.md)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startIngest } from '../src/ingest/main.ts';
import { startTestPipeline } from '../test/helpers/pipeline.ts';

// A bare 'Mozilla/5.0' is a bot to isbot; a real browser string is accepted.
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const seconds = Number(process.argv[2] ?? '90');
const env = { TOLLBOOTH_WINDOW_SECONDS: '5', TOLLBOOTH_INGEST_PORT: '18480', TOLLBOOTH_REDIS_PREFIX: `test_bench_${Date.now()}_` };
const p = await startTestPipeline('bench', env);
const ingest = await startIngest(p.config);
const db = p.config.clickhouse.database;
const url = `http://${p.config.host}:${p.config.ingest.port}/v1/clicks`;
const acceptedAt = new Map<string, number>();
const provisional: number[] = [];
const finals = new Map<number, number>();
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

const end = Date.now() + seconds * 1000;
const sender = (async () => {
  // Ten clicks a second, one per request: each gets its own acceptance time.
  while (Date.now() < end) {
    const click = { click_id: randomUUID(), ad_id: `ad-${Math.floor(Math.random() * 5)}`, user_id: randomUUID(), ts: Date.now(), user_agent: BROWSER };
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': BROWSER }, body: JSON.stringify(click) });
    if (res.ok) acceptedAt.set(click.click_id, Date.now());
    else if (acceptedAt.size === 0) console.error(`ingest answered ${res.status}: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
})();
// Poll ClickHouse every 100 ms for newly visible clicks and newly final windows.
const seen = new Set<string>();
while (Date.now() < end + 20_000) {
  const now = Date.now();
  const raw = await p.rows<{ click_id: string }>(`SELECT click_id FROM ${db}.clicks_raw WHERE ts_ms > ${now - 60_000}`);
  if (process.argv.includes('--debug')) console.error(`raw rows ${raw.length}, accepted ${acceptedAt.size}, sample ${raw[0]?.click_id} ${[...acceptedAt.keys()][0]}`);
  for (const r of raw) {
    const t = acceptedAt.get(r.click_id);
    if (t !== undefined && !seen.has(r.click_id)) {
      seen.add(r.click_id);
      provisional.push(now - t);
    }
  }
  const closed = await p.rows<{ end: string }>(`SELECT DISTINCT toUInt64(window_end) * 1000 AS end FROM ${db}.windows_closed`);
  for (const c of closed) if (!finals.has(Number(c.end))) finals.set(Number(c.end), now - Number(c.end));
  await new Promise((r) => setTimeout(r, 100));
}
await sender;
if (process.argv.includes('--debug')) {
  console.error('dead letters', p.sink.deadLettered(), await p.rows(`SELECT count() AS n FROM ${db}.dead_letters`), Date.now());
}
await ingest.stop();
await p.close();

// The first closed windows predate the run (heartbeats close the backlog at once): skip them.
const finalLatencies = [...finals.values()].filter((ms) => ms < 60_000 && ms > 0);
const report = `# Pipeline latency

Measured ${new Date().toISOString().slice(0, 16)} by \`bench/pipeline-latency.ts\` over ${seconds} s on this machine
(2 cores, all services and Flink on it), 10 clicks/s through the real ingest over HTTP,
checkpoint interval ${p.config.flink.checkpointIntervalMs} ms, grace ${p.config.pipeline.graceMs} ms, 5 s windows.
Figures include the bench's own 100 ms polling of ClickHouse.

| what | samples | p50 | p99 |
|---|---|---|---|
| (a) ingest 200 → provisional in ClickHouse | ${provisional.length} | ${pct(provisional, 0.5)} ms | ${pct(provisional, 0.99)} ms |
| (b) window end → final row in ClickHouse | ${finalLatencies.length} | ${pct(finalLatencies, 0.5)} ms | ${pct(finalLatencies, 0.99)} ms |

(b) is bounded below by grace + heartbeat interval (1 s) + the checkpoint interval (the
exactly-once sink publishes on checkpoint) + the sink's fetch and insert.
`;
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/pipeline.md', report);
console.log(report);
