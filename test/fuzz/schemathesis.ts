/**
 * schemathesis (PyPI), installed on first use into a git-ignored virtualenv (.fuzz/venv) from
 * test/fuzz/requirements.txt, and run against a live service from its OpenAPI document.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureVenv } from '../helpers/python-venv.ts';

/** Every response must be in the spec (status, media type, headers, body) and none a 5xx. */
export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
];

export async function ensureSchemathesis(repoRoot: string): Promise<string> {
  const venv = path.join(repoRoot, '.fuzz', 'venv');
  await ensureVenv(venv, path.join(repoRoot, 'test', 'fuzz', 'requirements.txt'));
  return path.join(venv, 'bin', 'st');
}

export interface FuzzRun {
  code: number | null;
  output: string;
}

/** `st run <spec>` for `seconds`, with extra arguments (headers); resolves with its exit code and output. */
export function fuzz(st: string, specUrl: string, seconds: number, extra: string[] = []): Promise<FuzzRun> {
  const args = [
    'run',
    specUrl,
    '--checks',
    CHECKS.join(','),
    '--max-time',
    String(seconds),
    '--workers',
    '1',
    '--no-color',
    ...extra,
  ];
  return new Promise((resolve, reject) => {
    // In the venv's folder: schemathesis keeps its example database under the working directory.
    const child = spawn(st, args, {
      cwd: path.resolve(path.dirname(st), '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
