/** Runs the real psql client (Debian's postgresql-client) against the endpoint, output parseable. */
import { spawn } from 'node:child_process';
import { environmentWith } from '../../src/shared/config.ts';

export interface PsqlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface PsqlTarget {
  host: string;
  port: number;
  database: string;
  password: string;
}

// A stuck session fails the test instead of hanging it; real queries here take milliseconds.
const PSQL_DEADLINE_MS = 30_000;

/**
 * One psql session: `sql` runs with -c (one query message), or `script` is fed on stdin as a user
 * would type it (one query message per statement). Unaligned, tuples only, comma-separated,
 * verbose errors (so each ERROR line carries its SQLSTATE).
 */
export function psql(
  target: PsqlTarget,
  input: { sql: string } | { script: string },
  extra: string[] = [],
): Promise<PsqlResult> {
  const args = [
    '-X',
    '-A',
    '-t',
    '-F',
    ',',
    '-v',
    'VERBOSITY=verbose',
    '-h',
    target.host,
    '-p',
    String(target.port),
    '-U',
    'analyst',
    '-d',
    target.database,
    ...extra,
  ];
  if ('sql' in input) args.push('-c', input.sql);
  const child = spawn('psql', args, {
    env: environmentWith({ PGPASSWORD: target.password, PGCONNECT_TIMEOUT: '10' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // A psql that exits before reading its input (a refused connection while a container restarts)
  // closes the pipe: its exit code and stderr say why, so the write's EPIPE is noted there and
  // not thrown out of the test.
  child.stdin.on('error', (err) => (stderr += `(stdin: ${err.message})\n`));
  if ('script' in input) child.stdin.end(input.script);
  else child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), PSQL_DEADLINE_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Rows of unaligned output as arrays of cells. */
export function rowsOf(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split(','));
}
