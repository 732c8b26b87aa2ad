/**
 * `npm run bench:state`: the counting job alone at a sustained rate, once per state backend, in
 * one run (docs/bench.md). Writes bench/results/state-<date>.md.
 *   npm run bench:state -- [--seconds 240] [--rate 5000] [--backends rocksdb,rocksdb-defaults,hashmap]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { environmentWith, loadConfig, type Config } from '../../src/shared/config.ts';
import { createKafka } from '../../src/shared/clients.ts';
import { topicNames } from '../../src/shared/names.ts';
import { testPrefix } from '../support/prefix.ts';
import { handleInterrupts, onInterrupt } from '../interrupt.ts';
import { runJobUnderLoad, type Backend, type LoadResult } from './job-under-load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '240' },
    rate: { type: 'string', default: '5000' },
    backends: { type: 'string', default: 'rocksdb,hashmap' },
    out: { type: 'string', default: 'bench/results' },
    help: { type: 'boolean', default: false },
  },
});
const USAGE = `usage: npm run bench:state -- [--seconds 240] [--rate 5000] [--backends rocksdb,rocksdb-defaults,hashmap] [--out bench/results]
  The latest clicks_pipeline job alone under sustained load, once per backend (docs/bench.md):
  rocksdb as the job file sets it, rocksdb-defaults without its state.backend.rocksdb.* settings,
  hashmap (heap state, full checkpoints). Needs the services running.`;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const BACKENDS: readonly Backend[] = ['rocksdb', 'rocksdb-defaults', 'hashmap'];
const backends = values.backends.split(',').map((b) => b.trim()) as Backend[];
const unknown = backends.find((b) => !BACKENDS.includes(b));
if (unknown !== undefined) {
  process.stderr.write(`bench:state: unknown backend ${unknown}; use ${BACKENDS.join(', ')} (--help)\n`);
  process.exit(2);
}
const say = (m: string) => process.stderr.write(`${m}\n`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const f1 = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

function summary(r: LoadResult, horizonS: number): string {
  const last = r.samples.at(-1);
  const late = r.samples.slice(Math.floor(r.samples.length / 2));
  const bytesPerClick = last ? (last.stateMb * 1e6) / r.clicks : 0;
  const horizonMb = (bytesPerClick * rate * horizonS) / 1e6;
  return `| ${r.backend} | ${r.clicks.toLocaleString('en-US')} | ${f1(r.tmUsPerClick)} | ${f1(last?.stateMb ?? 0)} | ${f1(bytesPerClick)} | ${f1(median(late.map((s) => s.writtenMb)))} | ${median(late.map((s) => s.durationMs))} / ${Math.max(0, ...late.map((s) => s.durationMs))} | ${f1(horizonMb)} |`;
}

function samplesTable(r: LoadResult): string {
  const rows = r.samples.map(
    (s) =>
      `| ${s.atS} | ${s.clicks.toLocaleString('en-US')} | ${f1(s.stateMb)} | ${f1(s.writtenMb)} | ${s.durationMs} |`,
  );
  return [
    `### ${r.backend}`,
    '',
    '| s | clicks sent | state MB | written MB | checkpoint ms |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

async function deleteTopics(config: Config): Promise<void> {
  const admin = createKafka(config, 'state-bench').admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topicNames(config)) }).catch(() => undefined);
  await admin.disconnect();
}

async function main(): Promise<void> {
  const results: LoadResult[] = [];
  const config = loadConfig();
  for (const backend of backends) {
    // Topics of its own per backend: a job reads its topic from the earliest offset.
    const phase = loadConfig(environmentWith({ TOLLBOOTH_TOPIC_PREFIX: testPrefix(`bench_state_${backend}`) }));
    const unregister = onInterrupt(() => deleteTopics(phase));
    try {
      results.push(await runJobUnderLoad(phase, backend, { rate, seconds, sampleEveryS: 10 }, say));
    } finally {
      unregister();
      await deleteTopics(phase);
    }
  }
  const date = new Date()
    .toISOString()
    .slice(0, 16)
    .replace(/[-:]/g, '')
    .replace(/^(\d{4})(\d\d)(\d\d)T/, '$1-$2-$3T');
  const horizonS = config.dedup.horizonSeconds;
  const md = [
    `# State bench ${date}`,
    '',
    `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )} at the end. The latest \`clicks_pipeline\` job alone, ${f1(rate)} accepted clicks/s of distinct click_ids for ${seconds} s straight into its topic, once per state backend; checkpoint every ${config.flink.checkpointIntervalMs} ms. Made by \`npm run bench:state\` (docs/bench.md).`,
    '',
    `| backend | clicks | TaskManager CPU µs/click | state at end MB | state bytes/click | written per checkpoint MB (median, 2nd half) | checkpoint ms median / max (2nd half) | state after the ${horizonS} s horizon at this rate, MB |`,
    '|---|---|---|---|---|---|---|---|',
    ...results.map((r) => summary(r, horizonS)),
    '',
    ...results.map(samplesTable),
    '',
  ].join('\n');
  mkdirSync(values.out, { recursive: true });
  const file = path.join(values.out, `state-${date}.md`);
  writeFileSync(file, md);
  process.stdout.write(`${md}\nwritten to ${file}\n`);
}

handleInterrupts(say);
await main();
