/** The `--compare` run: both checkouts' Tollbooth, alternated, then the report in bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onInterrupt } from '../interrupt.ts';
import type { PhaseContext } from '../tollbooth/phase.ts';
import { checkoutOf, git } from './checkout.ts';
import { runCompare, type Side } from './compare.ts';
import { compareMarkdown, summarise } from './compare-report.ts';

async function thisCheckout(root: string): Promise<string> {
  const sha = (await git(root, 'rev-parse', '--short=12', 'HEAD')).trim();
  const dirty = (await git(root, 'status', '--porcelain')).trim();
  return dirty === '' ? sha : `${sha} + uncommitted changes`;
}

export async function compareBench(
  ctx: PhaseContext,
  ref: string,
  machine: string,
  date: string,
): Promise<{ markdown: string; summary: ReturnType<typeof summarise> }> {
  const other = await checkoutOf(ctx.root, ref, ctx.workDir, ctx.say);
  const unregister = onInterrupt(() => other.remove());
  try {
    const sides: Side[] = [
      { name: 'A', label: await thisCheckout(ctx.root), root: ctx.root },
      { name: 'B', label: `${ref} = ${other.sha}`, root: other.root },
    ];
    const runs = await runCompare(ctx, sides, ctx.opts.rounds);
    const summary = summarise(runs, sides);
    const markdown = compareMarkdown(runs, sides, summary, [
      `# Bench ${date}: A against B (\`--compare ${ref}\`)`,
      '',
      `${machine}; options: \`${JSON.stringify(ctx.opts)}\`. Made by \`npm run bench -- --compare ${ref}\` (docs/bench.md).`,
    ]);
    mkdirSync(ctx.opts.outDir, { recursive: true });
    writeFileSync(path.join(ctx.opts.outDir, `${date}-compare.md`), markdown);
    writeFileSync(
      path.join(ctx.opts.outDir, `${date}-compare.json`),
      `${JSON.stringify({ date, machine, options: ctx.opts, sides, runs, summary }, null, 2)}\n`,
    );
    return { markdown, summary };
  } finally {
    unregister();
    await other.remove();
  }
}
