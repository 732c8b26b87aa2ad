/**
 * `npm run bench -- --compare REF`: Tollbooth from this checkout (A) and from REF (B) under the
 * same load, alternated A, B, A, B… in one run, so that the box's drift over the run falls on
 * both sides alike. Each figure of the report is a median over the rounds, and A's against B's.
 */
import type { SystemResult } from '../result.ts';
import { runTollbooth, type PhaseContext } from '../tollbooth/phase.ts';

export interface Side {
  /** "A" or "B". */
  name: string;
  /** The commit (and "+ changes" for a working tree with uncommitted changes). */
  label: string;
  root: string;
}

export interface CompareRun {
  round: number;
  side: string;
  result: SystemResult;
}

export async function runCompare(ctx: PhaseContext, sides: readonly Side[], rounds: number): Promise<CompareRun[]> {
  const runs: CompareRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    // A B, then B A: neither side always runs first after a pause or second after a drain.
    const order = round % 2 === 1 ? sides : [...sides].reverse();
    for (const side of order) {
      ctx.say(`compare: round ${round} of ${rounds}, ${side.name} (${side.label})`);
      const result = await runTollbooth({ ...ctx, root: side.root });
      ctx.say(
        `compare: ${side.name}: ${Math.round(result.cps)} clicks/s, exact: ${result.exact}, ${result.cpuUsPerClick.toFixed(1)} µs per click${result.void === undefined ? '' : `, ${result.void}`}`,
      );
      runs.push({ round, side: side.name, result });
    }
  }
  return runs;
}
