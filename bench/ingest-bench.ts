/**
 * Load generator for POST /v1/clicks, run as its own process against a running ingest:
 *   node --import tsx bench/ingest-bench.ts --key <ingest key> [--url http://127.0.0.1:8080]
 *     [--batches 200] [--batch-size 1000] [--concurrency 4] [--out bench/results/ingest.md]
 * It sends as an ad server does, with an ingest key (`tollbooth keys create --scope ingest`):
 * anonymous callers are limited per address, so anonymous load would measure the limit.
 * Reports accepted clicks per second and where the server's time goes (from its /metrics).
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    key: { type: 'string' },
    batches: { type: 'string', default: '200' },
    'batch-size': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
    out: { type: 'string' },
  },
});
const url = values.url;
if (values.key === undefined) {
  process.stderr.write('ingest-bench: --key <ingest key> is required (tollbooth keys create --scope ingest)\n');
  process.exit(2);
}
const ingestKey = values.key;
const batches = Number(values.batches);
const batchSize = Number(values['batch-size']);
const concurrency = Number(values.concurrency);
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const STAGES = ['parse', 'validate', 'redis', 'kafka'] as const;

/** Sum of seconds per pipeline stage, and requests, from the server's Prometheus text. */
async function serverTimes(): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^tollbooth_ingest_stage_seconds_sum\{stage="(\w+)"\} ([\d.e+-]+)$/.exec(line);
    if (m?.[1] && m[2]) out[m[1]] = Number(m[2]);
    const p = /^tollbooth_kafka_produce_seconds_(sum|count) ([\d.e+-]+)$/.exec(line);
    if (p?.[1] && p[2]) out[`produce_${p[1]}`] = Number(p[2]);
  }
  return out;
}

function makeBatch(run: string, b: number): string {
  const now = Date.now();
  // Distinct users and click ids: every click is accepted, the heaviest path (Redis writes and Kafka).
  const clicks = Array.from({ length: batchSize }, (_, i) => ({
    click_id: `${run}-${b}-${i}`,
    ad_id: `ad${i % 50}`,
    user_id: `u-${run}-${b}-${i}`,
    ts: now,
    user_agent: BROWSER,
  }));
  return JSON.stringify(clicks);
}

async function main(): Promise<void> {
  const run = Date.now().toString(36);
  const before = await serverTimes();
  let next = 0;
  let accepted = 0;
  let clientJsonMs = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const worker = async () => {
    while (next < batches) {
      const b = next++;
      const t0 = performance.now();
      const body = makeBatch(run, b);
      clientJsonMs += performance.now() - t0;
      const t1 = performance.now();
      const res = await fetch(`${url}/v1/clicks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': BROWSER, authorization: `Bearer ${ingestKey}` },
        body,
      });
      const reply = (await res.json()) as { accepted?: number; error?: string };
      latencies.push(performance.now() - t1);
      if (res.status !== 200) throw new Error(`batch ${b}: ${res.status} ${reply.error ?? ''}`);
      accepted += reply.accepted ?? 0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const after = await serverTimes();

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(1);
  const perBatch = (stage: string) => (((after[stage] ?? 0) - (before[stage] ?? 0)) * 1000) / batches;
  const stageTotal = STAGES.reduce((s, st) => s + perBatch(st), 0);
  const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  const produceMs = (1000 * delta('produce_sum')) / Math.max(1, delta('produce_count'));
  const lines = [
    `# Ingest benchmark: POST /v1/clicks`,
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version};`,
    `load from a separate process: ${batches} batches × ${batchSize} clicks, ${concurrency} concurrent requests, every click accepted.`,
    '',
    `- **${Math.round(accepted / seconds).toLocaleString('en-US')} clicks/s** accepted (${accepted} clicks in ${seconds.toFixed(1)} s)`,
    `- request latency per batch: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`,
    '',
    '## Where the server time goes (mean per batch, from /metrics)',
    '',
    '| stage | ms | share |',
    '|---|---|---|',
    ...STAGES.map(
      (st) => `| ${st} | ${perBatch(st).toFixed(1)} | ${((100 * perBatch(st)) / stageTotal).toFixed(0)}% |`,
    ),
    '',
    'parse = JSON.parse and the nesting check; validate = the zod schema per click; redis = the',
    'verdict Lua script (one EVALSHA per batch); kafka = waiting for acks=all (this includes queueing',
    "behind other requests' sends: the producer keeps one request in flight).",
    `One Kafka produce request (acks=all, up to 768 KiB, shared by concurrent batches) took ${produceMs.toFixed(1)} ms on average`,
    `(${delta('produce_count')} requests, heartbeats included).`,
    `Client-side JSON.stringify of the batches took ${(clientJsonMs / batches).toFixed(1)} ms per batch (not part of the server time).`,
    '',
  ];
  const report = lines.join('\n');
  process.stdout.write(report);
  if (values.out) await writeFile(values.out, report);
}

await main();
