/**
 * A click is visible (provisional) before any window of the pipeline has closed: on a fresh
 * system the final watermark is 0, and the stats SQL once computed `0 - 60` on an unsigned
 * DateTime, which wrapped around and hid every provisional count until the first minute closed.
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { generateKey, hashKey } from '../../src/api/auth/keys.ts';
import { writeKeysFile } from '../../src/api/auth/keys-file.ts';
import { createApiDeps } from '../../src/api/main.ts';
import { topicNames } from '../../src/shared/messages.ts';
import { clickMessage } from '../helpers/ledger.ts';
import { eventually } from '../helpers/prefix.ts';
import { usePipelines } from '../helpers/use-pipelines.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const startPipeline = usePipelines();

describe('the first minute of a pipeline', () => {
  it('shows a click as provisional while no window has closed yet', async () => {
    const p = await startPipeline('firstmin');
    const dir = await mkdtemp(path.join(tmpdir(), 'tollbooth-firstmin-'));
    const key = generateKey();
    const keysFile = path.join(dir, 'api-keys.json');
    await writeKeysFile(keysFile, [
      { name: 'ops', hash: hashKey(key), scope: { kind: 'all' }, created_at: new Date().toISOString() },
    ]);
    const deps = createApiDeps({ ...p.config, api: { ...p.config.api, keysFile } });
    const api = buildApp(deps);
    try {
      const ts = Date.now();
      // One click and no heartbeat: the watermark stays behind it, so no window can close.
      const click = clickMessage('first-1', 'ad-first', ts);
      await p.producer.send({
        topic: topicNames(p.config).clicks,
        messages: [{ key: click.click_id, value: JSON.stringify(click) }],
      });
      const url = `/v1/ads/ad-first/clicks?from=${ts - 3_600_000}&to=${ts + 120_000}&granularity=minute`;
      const body = await eventually(
        async () => {
          const res = await api.inject({ url, headers: { authorization: `Bearer ${key}` } });
          const json = res.json<{ total: number; buckets: Array<{ final: boolean }> }>();
          return json.total === 1 ? json : undefined;
        },
        90_000,
        'the provisional click',
      );
      expect(body.buckets.map((b) => b.final)).toEqual([false]);
      const closed = await p.rows<{ n: string }>(
        `SELECT count() AS n FROM ${p.config.clickhouse.database}.windows_closed`,
      );
      expect(Number(closed[0]?.n)).toBe(0);
    } finally {
      await api.close();
      await deps.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
