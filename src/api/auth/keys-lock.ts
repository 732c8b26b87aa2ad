/**
 * An exclusive lock beside a file, for read-modify-write updates from several processes: the
 * lock file is created with O_EXCL, so exactly one process holds it; a lock left by a process
 * that died is taken over, so a crash never blocks `tollbooth keys` for good.
 */
import { randomUUID } from 'node:crypto';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

// An update of the keys file takes milliseconds; a lock this old belongs to a holder that hung
// or died where its pid cannot be checked (another host sharing the folder).
const STALE_MS = 30_000;
// Waiting is rare (two operators at once, or a script creating keys in parallel): poll briefly.
const RETRY_MS = 10;
// Longer than any real update queue; then the caller is told which file to look at.
const GIVE_UP_MS = 15_000;

export class FileLockedError extends Error {}

/** Runs `update` while holding `<file>.lock`; the lock is released however `update` ends. */
export async function withFileLock<T>(file: string, update: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const token = `${process.pid} ${hostname()} ${randomUUID()}\n`;
  const deadline = Date.now() + GIVE_UP_MS;
  while (!(await tryCreate(lock, token))) {
    await breakIfStale(lock);
    if (Date.now() > deadline)
      throw new FileLockedError(`${lock} is held by another process; if none is running, remove that file`);
    await sleep(RETRY_MS);
  }
  try {
    return await update();
  } finally {
    // Only our own lock: if ours was taken over as stale, the file is now someone else's.
    if ((await readOrNull(lock)) === token) await unlink(lock).catch(() => undefined);
  }
}

async function tryCreate(lock: string, token: string): Promise<boolean> {
  try {
    await writeFile(lock, token, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function readOrNull(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch(() => null);
}

async function breakIfStale(lock: string): Promise<void> {
  const [content, info] = await Promise.all([readOrNull(lock), stat(lock).catch(() => null)]);
  if (content === null || info === null || !isStale(content, Date.now() - info.mtimeMs)) return;
  // Move it aside first and check it is still the lock judged stale: two processes breaking the
  // same lock must not remove the fresh lock that one of them has just created.
  const aside = `${lock}.${randomUUID()}.stale`;
  try {
    await rename(lock, aside);
  } catch {
    return; // someone else moved or released it
  }
  if ((await readOrNull(aside)) !== content) await link(aside, lock).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function isStale(content: string, ageMs: number): boolean {
  if (ageMs > STALE_MS) return true;
  const [pid, host] = content.split(' ');
  // An empty lock is one being written right now.
  if (pid === undefined || host === undefined || host !== hostname()) return false;
  return !isAlive(Number(pid));
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, and belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
