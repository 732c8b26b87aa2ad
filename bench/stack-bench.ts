/**
 * Stack figures: warm start time (services down, then up with every download cached) and the
 * resident memory of each service when idle. Run: node --import tsx bench/stack-bench.ts
 * (stops and restarts the services of this checkout; writes bench/results/stack.md).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { loadConfig } from '../src/shared/config.ts';
import { servicesDown, servicesStatus, servicesUp } from '../src/stack/stack.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const config = loadConfig();
const rssMb = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
};

await servicesDown(config);
const started = Date.now();
const reports = await servicesUp(config);
const warmStartS = (Date.now() - started) / 1000;
if (reports.some((r) => !r.ok)) throw new Error(JSON.stringify(reports));
// Idle: give the JVMs a minute to finish start-up work before reading their memory.
await sleep(60_000);
const rows = servicesStatus(config).map(
  (s) => `| ${s.process} | ${s.pid === undefined ? 'not running' : rssMb(s.pid).toFixed(0)} |`,
);
mkdirSync('bench/results', { recursive: true });
const report = `# Stack figures

Measured ${new Date().toISOString().slice(0, 10)} on this machine (2 cores, 24 GB) by \`bench/stack-bench.ts\`.

- Warm start (every download cached, \`services down\` then \`services up\`): **${warmStartS.toFixed(1)} s**
  (${reports.map((r) => `${r.name}: ${r.detail}`).join('; ')})

Resident memory when idle (no jobs running beyond what was deployed), MB:

| process | RSS MB |
|---|---|
${rows.join('\n')}
`;
writeFileSync('bench/results/stack.md', report);
console.log(report);
