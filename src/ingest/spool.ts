/**
 * A local durable spool for link clicks that could not reach Kafka: an append-only file of
 * JSON lines, fsynced before the append resolves (so before the redirect). `drain` hands the
 * clicks back in the order they were appended. It renames the file aside first, so appends
 * made during a drain go to a new file and come after; a crash mid-drain resends the whole
 * aside file, which is safe because verdicts are idempotent and downstream dedups click_id.
 */
import { mkdir, open, readFile, rename, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { clickSchema, type Click } from '../shared/click.ts';

const ACTIVE = 'spool.ndjson';
const DRAINING = 'spool.draining.ndjson';
// Per handler call: bounds one decide+produce round like a client batch does.
const DRAIN_CHUNK = 1000;

export class Spool {
  private handle: FileHandle | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  private backlog = false;

  constructor(readonly dir: string) {}

  /** Creates the folder and notes whether a previous run left clicks behind. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await cutTornTail(this.file(ACTIVE));
    this.backlog = (await size(this.file(ACTIVE))) > 0 || (await size(this.file(DRAINING))) > 0;
  }

  /** True while clicks wait in the spool: new link clicks must queue behind them to keep order. */
  get hasBacklog(): boolean {
    return this.backlog;
  }

  append(click: Click): Promise<void> {
    return this.locked(async () => {
      this.handle ??= await open(this.file(ACTIVE), 'a');
      await this.handle.appendFile(`${JSON.stringify(click)}\n`);
      await this.handle.sync();
      this.backlog = true;
    });
  }

  /** Feeds spooled clicks, oldest first, to `handle`; stops (keeping the rest) when it throws. Returns clicks handed. */
  async drain(handle: (clicks: Click[]) => Promise<void>): Promise<number> {
    let handed = 0;
    for (;;) {
      const aside = await this.locked(() => this.setAside());
      if (!aside) return handed;
      const clicks = await readClicks(aside);
      for (let i = 0; i < clicks.length; i += DRAIN_CHUNK) await handle(clicks.slice(i, i + DRAIN_CHUNK));
      await unlink(aside);
      handed += clicks.length;
    }
  }

  async close(): Promise<void> {
    await this.locked(async () => {
      await this.handle?.close();
      this.handle = null;
    });
  }

  /** The file to drain next, or null (and no backlog) when both files are empty. */
  private async setAside(): Promise<string | null> {
    const draining = this.file(DRAINING);
    if ((await size(draining)) > 0) return draining;
    if ((await size(this.file(ACTIVE))) === 0) {
      this.backlog = false;
      return null;
    }
    await this.handle?.close();
    this.handle = null;
    await rename(this.file(ACTIVE), draining);
    return draining;
  }

  private locked<T>(step: () => Promise<T>): Promise<T> {
    const run = this.lock.then(step, step);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }
}

async function size(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/**
 * A crash mid-append can leave a partial last line (its append never resolved, so no redirect
 * promised it). Cut it, or the next append would glue a good click onto it.
 */
async function cutTornTail(file: string): Promise<void> {
  if ((await size(file)) === 0) return;
  const bytes = await readFile(file);
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (end < bytes.length) await truncate(file, end);
}

// Only link clicks are spooled, and they are anonymous: a line from before senders existed is one.
const spooledClickSchema = clickSchema.extend({ sender: z.string().nullable().default(null) });

async function readClicks(file: string): Promise<Click[]> {
  const clicks: Click[] = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (line === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue; // damaged line: nothing better to do than skip it
    }
    // Written by us from a valid click; the check only guards against a damaged file.
    // A line spooled before client_ts existed: its ts was the client's.
    const upgraded =
      typeof raw === 'object' && raw !== null && !('client_ts' in raw) && 'ts' in raw
        ? { ...raw, client_ts: raw.ts }
        : raw;
    const checked = spooledClickSchema.safeParse(upgraded);
    if (checked.success) clicks.push(checked.data);
  }
  return clicks;
}
