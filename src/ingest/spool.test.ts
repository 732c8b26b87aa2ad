import { mkdtemp, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Click } from '../shared/click.ts';
import { Spool } from './spool.ts';

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

async function spoolIn(): Promise<Spool> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tb-spool-'));
  dirs.push(dir);
  const spool = new Spool(dir);
  await spool.open();
  return spool;
}

const click = (i: number): Click => ({
  click_id: `c${i}`,
  ad_id: 'ad',
  user_id: 'u',
  ts: i,
  client_ts: i,
  ip: '127.0.0.1',
  user_agent: '',
  campaign_id: null,
  sender: null,
});

describe('Spool', () => {
  it('hands clicks back in order, keeps them when the handler fails, and survives a reopen', async () => {
    const spool = await spoolIn();
    expect(spool.hasBacklog).toBe(false);
    for (const i of [1, 2, 3]) await spool.append(click(i));
    await expect(spool.drain(async () => Promise.reject(new Error('kafka down')))).rejects.toThrow('kafka down');
    await spool.append(click(4));
    await spool.close();

    const reopened = new Spool(spool.dir);
    await reopened.open();
    expect(reopened.hasBacklog).toBe(true);
    const seen: string[] = [];
    expect(await reopened.drain(async (cs) => void seen.push(...cs.map((c) => c.click_id)))).toBe(4);
    expect(seen).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(reopened.hasBacklog).toBe(false);
  });

  it('cuts a torn last line left by a crash, so the next append stays readable', async () => {
    const spool = await spoolIn();
    await spool.append(click(1));
    await spool.close();
    await appendFile(path.join(spool.dir, 'spool.ndjson'), '{"click_id":"c2","ad');
    const reopened = new Spool(spool.dir);
    await reopened.open();
    await reopened.append(click(3));
    const seen: string[] = [];
    await reopened.drain(async (cs) => void seen.push(...cs.map((c) => c.click_id)));
    expect(seen).toEqual(['c1', 'c3']);
  });
});
