/** Runs a driver test program (Python, Go, Java) against a fixture; each prints "N passed, 0 failed". */
import { spawn } from 'node:child_process';

export interface ClientRun {
  code: number | null;
  output: string;
}

// Generous: `go run` compiles pgx on a cold cache in CI (about a minute on 2 cores).
const CLIENT_DEADLINE_MS = 240_000;

export function runClient(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  cwd?: string,
): Promise<ClientRun> {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), CLIENT_DEADLINE_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
