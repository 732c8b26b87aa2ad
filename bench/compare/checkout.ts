/**
 * `--compare REF`'s other side: a git worktree of REF under bench/.work/compare/, with this
 * checkout's node_modules when the lock files agree (else its own `npm ci`). Removed at the end.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Checkout {
  root: string;
  /** The commit, 12 hex digits. */
  sha: string;
  remove(): Promise<void>;
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
}

/** The commit REF names in the checkout at `repoRoot`; one line that says what to do when none. */
export async function resolveRef(repoRoot: string, ref: string): Promise<string> {
  try {
    return (await git(repoRoot, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`)).trim();
  } catch {
    throw new Error(`--compare: '${ref}' names no commit here; give a commit, branch or tag (e.g. HEAD~1)`);
  }
}

export async function checkoutOf(
  repoRoot: string,
  ref: string,
  workDir: string,
  say: (m: string) => void,
): Promise<Checkout> {
  const sha = (await resolveRef(repoRoot, ref)).slice(0, 12);
  const root = path.join(workDir, 'compare', sha);
  mkdirSync(path.dirname(root), { recursive: true });
  if (existsSync(root)) await git(repoRoot, 'worktree', 'remove', '--force', root);
  say(`compare: checking out ${ref} (${sha}) in ${root}`);
  await git(repoRoot, 'worktree', 'add', '--detach', root, sha);
  const remove = async () => {
    await git(repoRoot, 'worktree', 'remove', '--force', root);
  };
  try {
    const theirs = await git(repoRoot, 'show', `${sha}:package-lock.json`);
    const ours = await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8');
    if (theirs === ours) {
      symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
    } else {
      say(`compare: ${sha} has other dependencies: npm ci in its checkout`);
      await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    }
  } catch (err) {
    await remove();
    throw err;
  }
  return { root, sha, remove };
}
