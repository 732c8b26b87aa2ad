/**
 * Where the time goes in a V8 CPU profile (`node --cpu-prof`, as `npm run bench -- --profile DIR`
 * writes for the ingest and the sink): self time by function and by package, as markdown.
 * Run: npx tsx bench/profile-summary.ts DIR/ingest/CPU.….cpuprofile [top N]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = `file://${path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')}/`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package>, the project's own folder, or V8's own entries such as (garbage collector). */
function packageOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  if (url.startsWith('node:')) return 'node core';
  const own = /\/(src\/[^/]+|bench|bin)\//.exec(url);
  return own?.[1] ?? url;
}

export function summarize(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idleUs = profile.nodes
    .filter((n) => n.callFrame.functionName === '(idle)')
    .reduce((s, n) => s + (selfUs.get(n.id) ?? 0), 0);
  const busyUs = totalUs - idleUs;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)?.callFrame;
    if (f === undefined) continue;
    if (f.functionName === '(idle)') continue;
    // Line numbers of the project's own files are of tsx's output, so only the file is named.
    const where =
      f.url === ''
        ? ''
        : ` ${f.url.replace(REPO, '').replace(/^.*node_modules\//, '')}${f.url.startsWith(REPO) && !f.url.includes('node_modules') ? '' : `:${f.lineNumber + 1}`}`;
    const key = `${f.functionName || '(anonymous)'}${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(f.url, f.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, us]) =>
          `| ${k.replace(/\|/g, '\\|')} | ${(us / 1000).toFixed(0)} | ${((100 * us) / busyUs).toFixed(1)}% |`,
      );
  return [
    `Profile of ${(totalUs / 1e6).toFixed(1)} s, of which ${(busyUs / 1e6).toFixed(1)} s busy; shares are of the busy time.`,
    '',
    '| package or part | self ms | share of busy |',
    '|---|---|---|',
    ...rows(byPackage),
    '',
    '| function | self ms | share of busy |',
    '|---|---|---|',
    ...rows(byFunction),
  ].join('\n');
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, top] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [top N]');
  process.stdout.write(`${summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 25))}\n`);
}
