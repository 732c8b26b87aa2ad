/**
 * `tollbooth blocklist` and `tollbooth campaigns` on Redis Cluster (TOLLBOOTH_REDIS_CLUSTER):
 * the global keys they write are the ones ClusterVerdictStore reads.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anonLimiter } from '../../src/dedup/address.ts';
import { decideVerdicts } from '../../src/dedup/decide.ts';
import { environmentWith } from '../../src/shared/config.ts';
import { clusterStore, prefix, useTestCluster } from './cluster-model.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const t = useTestCluster();
const stackDir = mkdtempSync(path.join(tmpdir(), 'tollbooth-cli-cluster-'));
afterAll(() => rmSync(stackDir, { recursive: true, force: true }));

function tollbooth(keyPrefix: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const env = environmentWith({
    TOLLBOOTH_STACK_DIR: stackDir,
    TOLLBOOTH_REDIS_CLUSTER: t.cluster?.seeds ?? '',
    TOLLBOOTH_REDIS_PASSWORD: t.cluster?.password ?? '',
    TOLLBOOTH_REDIS_PREFIX: keyPrefix,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/tollbooth.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('the CLI on Redis Cluster', () => {
  it('blocks an ip and maps a campaign where the cluster store reads them', async () => {
    const p = prefix();
    expect(await tollbooth(p, 'blocklist', 'add', 'ip', '203.0.113.9')).toMatchObject({ code: 0 });
    expect(await tollbooth(p, 'campaigns', 'set', 'ad-7', 'cmp-7')).toMatchObject({ code: 0 });
    expect((await tollbooth(p, 'blocklist', 'list', 'ip')).out).toContain('203.0.113.9');
    const store = clusterStore(t.client!, { keyPrefix: p });
    const ts = Date.now();
    const base = { ad_id: 'ad-7', user_id: 'u', ts, client_ts: ts, user_agent: BROWSER, campaign_id: null };
    const decisions = await decideVerdicts(
      store,
      [
        { ...base, click_id: 'blocked', ip: '203.0.113.9', sender: 'server-a' },
        { ...base, click_id: 'mapped', ip: '198.51.100.1', sender: 'server-a' },
      ],
      {
        windowMs: 60_000,
        receivedAt: null,
        addressLimit: anonLimiter({ perAddressAd: 5, perAddress: 30, natRanges: [] }),
      },
    );
    expect(decisions.map((d) => [d.verdict, d.campaignId])).toEqual([
      ['blocked', 'cmp-7'],
      ['accepted', 'cmp-7'],
    ]);
  });
});
