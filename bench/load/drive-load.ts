/** Parent side of the load generator: forks it, hands it the plan, relays progress, gets the ledger. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LedgerSummary, LoadPlan } from './ledger.ts';

const SCRIPT = fileURLToPath(new URL('./loadgen-process.ts', import.meta.url));

export interface RunningLoad {
  pid: number;
  done: Promise<LedgerSummary>;
}

type FromChild = { type: 'progress'; taken: number } | { type: 'done'; summary: LedgerSummary };

export function startLoad(plan: LoadPlan, onProgress: (taken: number) => void): RunningLoad {
  const child = fork(SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (child.pid === undefined) throw new Error('could not start the load generator');
  const done = new Promise<LedgerSummary>((resolve, reject) => {
    let summary: LedgerSummary | undefined;
    child.on('message', (m: FromChild) => {
      if (m.type === 'progress') onProgress(m.taken);
      else summary = m.summary;
    });
    child.on('exit', (code) =>
      summary ? resolve(summary) : reject(new Error(`load generator exited with ${code} before its ledger`)),
    );
    child.on('error', reject);
  });
  child.send(plan);
  return { pid: child.pid, done };
}
