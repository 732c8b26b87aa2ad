/**
 * A psql session as a page shows it: `tollbooth=> ` starts a statement, `tollbooth-> ` continues
 * it, and the lines up to the next prompt are what psql printed. Each statement runs through
 * the real psql with its default (aligned) output, errors included, as a reader would see it.
 */
import { spawn } from 'node:child_process';

export interface PsqlStep {
  sql: string;
  expected: string;
}

export function psqlSteps(body: string): PsqlStep[] {
  const steps: PsqlStep[] = [];
  let current: PsqlStep | undefined;
  for (const line of body.split('\n')) {
    if (line.startsWith('tollbooth=> ')) {
      if (current !== undefined) steps.push(current);
      current = { sql: line.slice('tollbooth=> '.length), expected: '' };
    } else if (line.startsWith('tollbooth-> ') && current !== undefined && current.expected === '') {
      current.sql += `\n${line.slice('tollbooth-> '.length)}`;
    } else if (current !== undefined) {
      current.expected += `${current.expected === '' ? '' : '\n'}${line}`;
    }
  }
  if (current !== undefined) steps.push(current);
  // `\q` ends the session; it prints nothing and runs nothing.
  return steps.filter((s) => s.sql.trim() !== '\\q').map((s) => ({ ...s, expected: s.expected.trim() }));
}

export interface PsqlTarget {
  host: string;
  port: number;
  password: string;
}

/** What psql prints for one statement, stdout then stderr, as a terminal shows them. */
export function runPsql(target: PsqlTarget, sql: string, env: Record<string, string | undefined>): Promise<string> {
  const args = ['-X', '-h', target.host, '-p', String(target.port), '-U', 'analyst', 'tollbooth', '-c', sql];
  const child = spawn('psql', args, { env: { ...env, PGPASSWORD: target.password, PGCONNECT_TIMEOUT: '10' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  // A stuck session fails the test instead of hanging it; the page's queries take milliseconds.
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => {
      clearTimeout(timer);
      resolve(`${out}${err}`.trimEnd());
    });
  });
}
