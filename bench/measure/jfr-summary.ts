/**
 * Where a JVM's time goes in a Java Flight Recording (`npm run bench -- --profile DIR` records the
 * Flink TaskManager during the load): execution samples by thread (a Flink task thread is named
 * after its chained operators), by method on top of the stack (self), and by method anywhere in
 * it (inclusive), as markdown. Samples are of threads running Java code: RocksDB's native code,
 * the JIT compilers and the collector are not in them (the bench's CPU table has the whole process).
 * Run: npx tsx bench/measure/jfr-summary.ts FILE.jfr [top N]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface JfrSample {
  thread: string;
  /** Top of the stack first, as `package.Class.method`. */
  frames: string[];
}

/** A task thread's name without its subtask and attempt (`(1/1)#0`) or operator ids (`[37]`). */
export function threadGroup(name: string): string {
  return name
    .replace(/\[\d+\]/g, '')
    .replace(/\s*\(\d+\/\d+\)#\d+$/, '')
    .replace(/\s+\|\s+producer-.*$/, ' | producer')
    .replace(/-\d+$/, '')
    .trim();
}

/** Reads `jfr print --events jdk.ExecutionSample` text, one sample per event block. */
export async function* parseSamples(lines: AsyncIterable<string>): AsyncGenerator<JfrSample> {
  let current: JfrSample | undefined;
  let inStack = false;
  for await (const line of lines) {
    if (line.startsWith('jdk.ExecutionSample {')) current = { thread: '?', frames: [] };
    else if (current === undefined) continue;
    else if (/^\s*sampledThread = "/.test(line)) current.thread = /"(.*)"/.exec(line)?.[1] ?? '?';
    else if (/^\s*stackTrace = \[/.test(line)) inStack = true;
    else if (inStack && /^\s*\]/.test(line)) inStack = false;
    else if (inStack && line.trim() !== '...') current.frames.push(line.trim().replace(/\(.*$/, ''));
    else if (line === '}') {
      yield current;
      current = undefined;
    }
  }
}

export function summarizeSamples(samples: readonly JfrSample[], top: number): string {
  const byThread = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const s of samples) {
    add(byThread, threadGroup(s.thread));
    if (s.frames[0] !== undefined) add(self, s.frames[0]);
    for (const f of new Set(s.frames)) add(inclusive, f);
  }
  const n = samples.length;
  const table = (title: string, m: Map<string, number>) => [
    `| ${title} | samples | share |`,
    '|---|---|---|',
    ...[...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, c]) => `| ${k.replace(/\|/g, '\\|')} | ${c} | ${((100 * c) / n).toFixed(1)}% |`),
    '',
  ];
  return [
    `${n} execution samples of threads running Java code; shares are of all samples.`,
    '',
    ...table('thread (Flink: its chained operators)', byThread),
    ...table('method on top of the stack (self)', self),
    ...table('method anywhere in the stack (inclusive)', inclusive),
  ].join('\n');
}

/** Summarizes a recording with `jfrTool` (the `jfr` of the JDK that made it). */
export async function summarizeRecording(jfrTool: string, file: string, top: number): Promise<string> {
  const child = spawn(jfrTool, ['print', '--stack-depth', '64', '--events', 'jdk.ExecutionSample', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const samples: JfrSample[] = [];
  for await (const s of parseSamples(createInterface({ input: child.stdout }))) samples.push(s);
  const code = await exited;
  if (code !== 0) throw new Error(`jfr print ${file} failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
  return summarizeSamples(samples, top);
}

if (process.argv[1]?.endsWith('jfr-summary.ts')) {
  const [file, top] = process.argv.slice(2);
  const usage = 'usage: npx tsx bench/measure/jfr-summary.ts FILE.jfr [top N]  (uses `jfr` on PATH)';
  if (file === '--help') {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (file === undefined) {
    process.stderr.write(`jfr-summary: name a recording (${usage})\n`);
    process.exit(2);
  }
  process.stdout.write(`${await summarizeRecording('jfr', file, Number(top ?? 25))}\n`);
}
