/**
 * chdb (PyPI: the ClickHouse engine in-process), installed on first use into a git-ignored
 * virtualenv (.chdb/venv) from test/clickhouse-today/requirements.txt, and chdb_check.py, which
 * runs a list of statements in one fresh session and says which failed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureVenv } from '../helpers/python-venv.ts';
import type { Statement } from './recording-client.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);

export interface StatementResult {
  name: string;
  ok: boolean;
  error?: string;
  /** What the statement printed (a query's rows in its FORMAT), when it printed anything. */
  output?: string;
}

export interface ChdbReport {
  /** The ClickHouse version inside chdb. */
  engine: string;
  results: StatementResult[];
}

/** The venv's python, with chdb installed. */
export async function ensureChdb(repoRoot: string): Promise<string> {
  const venv = path.join(repoRoot, '.chdb', 'venv');
  await ensureVenv(venv, path.join(HERE, 'requirements.txt'));
  return path.join(venv, 'bin', 'python');
}

/** Runs the statements in order in one chdb session over a temporary folder. */
export function runChdb(python: string, statements: Statement[]): Promise<ChdbReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(HERE, 'chdb_check.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`chdb_check.py exited ${code}:\n${err.slice(-4000)}`));
      else resolve(JSON.parse(out) as ChdbReport);
    });
    // A script that dies before reading: its exit code and stderr say why, not the write's EPIPE.
    child.stdin.on('error', (e) => (err += `(stdin: ${e.message})\n`));
    child.stdin.end(JSON.stringify(statements));
  });
}
