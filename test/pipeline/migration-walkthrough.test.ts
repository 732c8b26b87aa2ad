/**
 * docs/migrations.md's walk-through, run as written: the two SQL files on that page, and nothing
 * else, add clicks per campaign per minute; migrate up, read it through psql, migrate down.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPgServer } from '../../src/api/pg/server.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { logger } from '../../src/shared/logger.ts';
import { topicNames } from '../../src/shared/names.ts';
import { clickMessage, heartbeat } from '../helpers/ledger.ts';
import { eventually } from '../helpers/prefix.ts';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';
import { psql, rowsOf } from '../pg/psql.ts';

const startPipeline = usePipelines();
const repo = loadConfig({});
const doc = readFileSync(path.join(repo.repoRoot, 'docs', 'migrations.md'), 'utf8');
const files = [...doc.matchAll(/<!-- file: (\S+) -->\n```sql\n([\s\S]*?)```/g)].map((m) => ({
  name: m[1] ?? '',
  text: m[2] ?? '',
}));
const PSQL_COMMAND = /-c "(SELECT campaign_id[^"]+)"/.exec(doc)?.[1] ?? '';

const dir = mkdtempSync(path.join(tmpdir(), 'tollbooth-walkthrough-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/migrations.md walk-through', () => {
  it('adds a new aggregate with SQL files alone: up, read through psql, down', async () => {
    expect(files.map((f) => f.name)).toEqual(['0012_campaign_clicks.sql', '0013_campaign_clicks.flink.sql']);
    // Links, so the TypeScript migration's own imports resolve from where it really lives.
    for (const f of readdirSync(repo.migrationsDir)) symlinkSync(path.join(repo.migrationsDir, f), path.join(dir, f));
    for (const f of files) writeFileSync(path.join(dir, f.name), f.text);

    const p = await startPipeline('walk', { ...FAST_WINDOWS, TOLLBOOTH_MIGRATIONS_DIR: dir });
    const jobs = await p.migrator.context.jobs.status();
    expect(jobs.map((j) => [j.name, j.state])).toEqual([
      ['campaign_clicks', 'RUNNING'],
      ['clicks_pipeline', 'RUNNING'],
    ]);

    const W = p.config.pipeline.windowSeconds * 1000;
    const t0 = Date.UTC(2026, 0, 4, 5, 0, 0);
    const click = (id: string, campaign: string, ts: number, sender?: string) => ({
      ...clickMessage(id, `ad-${id}`, ts, sender),
      campaign_id: campaign,
    });
    const clicks = [
      click('w1', 'camp-a', t0 + 10),
      click('w2', 'camp-a', t0 + 20),
      click('w3', 'camp-a', t0 + 30),
      click('w4', 'camp-b', t0 + 40),
      click('w5', 'camp-b', t0 + 50),
      // Another sender's click with a click_id already seen: its own click.
      click('w1', 'camp-b', t0 + 60, 'acme'),
    ];
    const topic = topicNames(p.config).clicks;
    const sendAll = (ms: typeof clicks) =>
      p.producer.send({ topic, messages: ms.map((m) => ({ key: m.click_id, value: JSON.stringify(m) })) });
    await sendAll(clicks);
    await sendAll(clicks.slice(0, 2)); // a client retry: the same click_ids again
    const partitions = [...Array(p.config.kafka.partitions).keys()];
    await p.producer.send({
      topic,
      messages: partitions.map((partition) => ({
        partition,
        value: JSON.stringify(heartbeat(t0 + W + 2 * p.config.pipeline.graceMs + 1)),
      })),
    });

    const db = p.config.clickhouse.database;
    await eventually(
      async () => {
        const rows = await p.rows<{ n: string }>(`SELECT count() AS n FROM ${db}.campaign_windows_closed`);
        return Number(rows[0]?.n) > 0 ? true : undefined;
      },
      60_000,
      'the campaign job to close its window',
    );

    const secret = 'walkthrough-analyst-password-0123456789';
    const pg = await startPgServer({
      config: p.config,
      verifyPassword: async (pw) => pw === secret,
      log: logger.child({}, { level: 'warn' }),
      port: 0,
    });
    try {
      const target = { host: p.config.host, port: pg.port, database: db, password: secret };
      const out = await eventually(
        async () => {
          const r = await psql(target, { sql: PSQL_COMMAND });
          return r.code === 0 && rowsOf(r.stdout).length === 2 ? r : undefined;
        },
        30_000,
        'psql to show both campaigns',
      );
      expect(rowsOf(out.stdout)).toEqual([
        ['camp-a', '3'],
        ['camp-b', '3'],
      ]);
    } finally {
      await pg.close();
    }

    const { reverted } = await p.migrator.down({ to: '0012_campaign_clicks' });
    expect(reverted).toEqual(['0013_campaign_clicks', '0012_campaign_clicks']);
    const left = await p.rows<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = '${db}' AND name LIKE 'campaign%'`,
    );
    expect(left).toEqual([]);
    const after = await p.migrator.context.jobs.status();
    expect(after.map((j) => [j.name, j.wanted])).toEqual([
      ['campaign_clicks', 'stopped'],
      ['clicks_pipeline', 'running'],
    ]);
  });
});
