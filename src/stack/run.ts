/** Foreground commands used while installing: output streamed as progress, failure is fatal. */
import { spawn } from 'node:child_process';
import { environmentWith } from '../shared/config.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Prefix for each output line; output is hidden when undefined. */
  echo?: string;
}

export class CommandFailed extends Error {}

/** Runs a command to completion; rejects with its last output when it exits non-zero. */
export function runCommand(command: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: environmentWith(opts.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      if (opts.echo !== undefined) {
        for (const line of text.split('\n').filter((l) => l.trim())) process.stderr.write(`  ${opts.echo} ${line}\n`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new CommandFailed(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** Polls `probe` until it resolves true or `timeoutMs` passes. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}
