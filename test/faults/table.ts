/**
 * Global setup of `npm run test:faults`: at the end, writes the table of docs/faults.md from the
 * rows the scenarios appended to test-artifacts/faults.jsonl, the latest row of each fault (so
 * rerunning one scenario updates its row and keeps the others).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// Type only (erased when run): a global setup must not load vitest, which scenario.ts imports.
import type { FaultRow } from './scenario.ts';

const RESULTS = path.resolve('test-artifacts', 'faults.jsonl');
const DOC = path.resolve('docs', 'faults.md');
const BEGIN = '<!-- fault table: written by npm run test:faults -->';
const END = '<!-- end of fault table -->';

/** A scenario's row as appended to the results file (scenario.ts), with when it ran. */
type Row = Pick<
  FaultRow,
  | 'fault'
  | 'sent'
  | 'accepted'
  | 'counted'
  | 'over'
  | 'under'
  | 'lateByFault'
  | 'onTimeAndLate'
  | 'resends'
  | 'secondsUntilHealthy'
  | 'secondsUntilFinal'
> & { at: string };

const s = (v: number | undefined) => (v === undefined ? 'never' : v.toFixed(1));

export function renderTable(rows: Row[]): string {
  const head =
    '| fault | clicks sent | accepted | clicks counted | over | of which on time and late | under | late because of the fault | resent requests | s until healthy | s until last window final |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const body = rows.map(
    (r) =>
      `| ${r.fault} | ${r.sent} | ${r.accepted} | ${r.counted} | ${r.over} | ${r.onTimeAndLate} | ${r.under} | ${r.lateByFault} | ${r.resends} | ${s(r.secondsUntilHealthy)} | ${s(r.secondsUntilFinal)} |`,
  );
  const date =
    rows
      .map((r) => r.at)
      .sort()
      .at(-1)
      ?.slice(0, 10) ?? '';
  return [
    BEGIN,
    `Measured ${date} on one 2-core machine shared with other work (\`npm run test:faults\`).`,
    '',
    head,
    ...body,
    END,
  ].join('\n');
}

export function setup(): void {}

export function teardown(): void {
  if (!existsSync(RESULTS)) return;
  const all = readFileSync(RESULTS, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
  // A Map keeps each fault where it first appeared and holds its latest row. (This file imports
  // no scenario code: a global setup must not load vitest's test API.)
  const rows = [...new Map(all.map((r) => [r.fault, r])).values()];
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`${DOC} lacks the table markers`);
  writeFileSync(DOC, doc.slice(0, start) + renderTable(rows) + doc.slice(end + END.length));
}
