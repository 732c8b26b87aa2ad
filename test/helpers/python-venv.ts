/**
 * A git-ignored Python virtualenv for a test's PyPI tool, made on first use and filled from a
 * requirements file that pins exact versions. The file's text is kept in the venv once pip has
 * installed it, so a changed pin installs again and an interrupted install is redone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../../src/stack/run.ts';

export async function ensureVenv(venv: string, requirements: string): Promise<void> {
  const stamp = path.join(venv, 'requirements.installed');
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  if (!existsSync(path.join(venv, 'bin', 'python'))) await runCommand('python3', ['-m', 'venv', venv]);
  await runCommand(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '-r', requirements]);
  writeFileSync(stamp, wanted);
}
