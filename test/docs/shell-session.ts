/**
 * One bash process for the docs' commands, as a reader's terminal: variables set by one command
 * (`KEY=$(...)`) are there for the next, and `cmd &` runs on in the background (its output to a
 * log file, so it never mixes into a later command's). Everything it started is killed at close.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

/** `cmd &`, with an optional trailing comment: the command is group 1 (`&&` is not a background). */
export const BACKGROUND = /^([^\n]*[^&\s])\s*&\s*(?:#[^\n]*)?$/;

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class ShellSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private stdout = '';
  private stderr = '';
  private background = 0;
  private seq = 0;

  constructor(
    cwd: string,
    env: Record<string, string | undefined>,
    private readonly logDir: string,
  ) {
    // Its own process group, so close() reaches every background process it started.
    this.child = spawn('bash', ['--noprofile', '--norc'], { cwd, env, detached: true });
    this.child.stdout.on('data', (c: Buffer) => (this.stdout += c.toString('utf8')));
    this.child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString('utf8')));
  }

  /** Runs one command; rejects if it has not finished within `timeoutMs`. */
  async run(command: string, timeoutMs: number): Promise<CommandResult> {
    const marker = `__docs_test_done_${++this.seq}__`;
    const background = BACKGROUND.exec(command);
    // A foreground command reads no input (an interactive psql ends at once, as after \\q).
    const text = background === null ? `{ ${command}\n} </dev/null` : this.inBackground(background[1] ?? '');
    this.stdout = '';
    this.stderr = '';
    this.child.stdin.write(`${text}\n__rc=$?; printf '\\n${marker} %d\\n' "$__rc"; printf '\\n${marker}\\n' >&2\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = new RegExp(`\\n?${marker} (\\d+)\\n`).exec(this.stdout);
      if (done !== null && this.stderr.includes(marker)) {
        return {
          code: Number(done[1]),
          stdout: this.stdout.slice(0, done.index),
          stderr: this.stderr.slice(0, this.stderr.indexOf(marker)).replace(/\n$/, ''),
        };
      }
      if (this.child.exitCode !== null) throw new Error(`the shell exited (${this.child.exitCode}): ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no end within ${timeoutMs} ms: ${command}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private inBackground(command: string): string {
    const log = path.join(this.logDir, `background-${++this.background}.log`);
    return `${command} >${JSON.stringify(log)} 2>&1 &`;
  }

  close(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null) return;
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}
