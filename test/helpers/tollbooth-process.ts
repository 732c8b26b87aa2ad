/**
 * Tollbooth's own processes (ingest, sink, stats API) started as the CLI starts them, each a
 * child with its output captured: the pino lines a log file would hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './prefix.ts';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/tollbooth.js');

export interface TollboothProcess {
  name: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `tollbooth <args>` and, when `readyUrl` is given, waits until it answers 200. */
export async function startTollbooth(
  name: string,
  args: string[],
  env: Record<string, string | undefined>,
  readyUrl?: string,
): Promise<TollboothProcess> {
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: TollboothProcess = {
    name,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
  if (readyUrl !== undefined) {
    try {
      // 60 s: a cold start compiles TypeScript with tsx and connects to Kafka and Redis.
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${out.slice(-2000)}`);
          const res = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
          return res?.ok ? true : undefined;
        },
        60_000,
        `${name} at ${readyUrl}`,
      );
    } catch (err) {
      await proc.stop();
      throw err;
    }
  }
  return proc;
}
