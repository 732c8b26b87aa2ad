/** Debian packages, installed once with apt-get when their binary is missing. */
import { existsSync } from 'node:fs';
import { runCommand } from './run.ts';

let updated = false;

export async function aptInstall(packages: string[], progress: (m: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error(`installing ${packages.join(' ')} needs root (apt-get)`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    progress('apt-get update');
    await runCommand('apt-get', ['update', '-q'], { env });
    updated = true;
  }
  progress(`apt-get install ${packages.join(' ')}`);
  // Package scripts must not start system-wide copies of our services: we run our own.
  await runCommand('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], {
    env: { ...env, RUNLEVEL: '1' },
    echo: 'apt',
  });
}

export const hasBinary = (file: string) => existsSync(file);
