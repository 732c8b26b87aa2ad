/**
 * Migrations: `up` twice is a no-op; `down` to nothing and `up` again gives the same tables and a
 * running job; a changed job SQL is redeployed from a savepoint and the counts stay exact; a
 * job version with new operators (0009: sender scope) is rebuilt from the earliest offsets while
 * records of the old format are in the topics, final counts exact; 0011 (RocksDB settings)
 * takes over from 0009's savepoint with exact counts.
 */
import type { Message as KafkaMessage, ProducerRecord } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { logger } from '../../src/shared/logger.ts';
import { JobDeployer } from '../../src/flink/deploy.ts';
import { JobRegistry } from '../../src/flink/job-registry.ts';
import { latestJobMigration } from '../../src/migrate/flink-migration.ts';
import type { TestPipeline } from '../helpers/pipeline.ts';
import { FAST_WINDOWS, usePipelines } from '../helpers/use-pipelines.ts';
import { runScenario } from '../helpers/scenario.ts';
import { expectCountsToMatch } from '../helpers/expect-counts.ts';
import { pipelineCounts } from '../helpers/pipeline-counts.ts';
import { eventually } from '../helpers/prefix.ts';
import { consumerLag, jobHealth } from '../../src/status/pipeline.ts';

const startPipeline = usePipelines();

/** A record as the ingest wrote it before v3: no sender (heartbeats only change version). */
function asV2(m: KafkaMessage): KafkaMessage {
  const value = JSON.parse(String(m.value)) as Record<string, unknown>;
  return { ...m, value: JSON.stringify({ ...value, v: 2, sender: undefined }) };
}

async function tables(p: TestPipeline): Promise<string[]> {
  const rows = await p.rows<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = '${p.config.clickhouse.database}' ORDER BY name`,
  );
  return rows.map((r) => r.name);
}

describe('migrations', () => {
  it('up twice is a no-op; down to nothing and up again gives the same tables and a running job', async () => {
    const p = await startPipeline('mig', FAST_WINDOWS);
    const { context } = p.migrator;
    const before = await tables(p);
    const [job] = await context.jobs.status();
    expect(job?.state).toBe('RUNNING');

    expect((await p.migrator.up()).applied).toEqual([]);
    expect((await context.jobs.status())[0]?.jobId).toBe(job?.jobId);

    const { reverted } = await p.migrator.down({ to: 0 });
    expect(reverted).toEqual(p.migrator.files.map((f) => f.name).reverse());
    expect(await tables(p)).toEqual(['flink_jobs', 'schema_migrations']);
    const [stopped] = await context.jobs.status();
    expect(stopped?.wanted).toBe('stopped');
    expect(stopped?.state).toBe('FINISHED');

    await p.migrator.up();
    expect(await tables(p)).toEqual(before);
    const [again] = await context.jobs.status();
    expect(again?.state).toBe('RUNNING');
    expect(again?.hash).toBe(job?.hash);
  });

  it('redeploys a changed job SQL from a savepoint mid-stream, and the counts stay exact', async () => {
    const p = await startPipeline('redeploy', FAST_WINDOWS);
    const [first] = await p.migrator.context.jobs.status();
    const current = latestJobMigration(p.migrator.files, 'clicks_pipeline');
    let outcome = '';
    const ledger = await runScenario(p, {
      rounds: 6,
      ads: ['ad-a', 'ad-b'],
      t0: Date.UTC(2026, 0, 1, 5, 0, 0),
      seed: 31,
      afterRound: async (round) => {
        if (round !== 3 || current === undefined) return;
        // Same topics and database, a wider grace: a new version of the job's SQL.
        const changed = loadConfig({
          ...FAST_WINDOWS,
          TOLLBOOTH_GRACE_MS: '600',
          TOLLBOOTH_TOPIC_PREFIX: p.config.kafka.topicPrefix,
          TOLLBOOTH_CLICKHOUSE_DATABASE: p.config.clickhouse.database,
        });
        const deployer = new JobDeployer(
          changed,
          new JobRegistry(p.clickhouse, changed.clickhouse.database),
          logger.child({}, { level: 'warn' }),
        );
        outcome = await deployer.deploy('clicks_pipeline', current.template, { restore: 'savepoint' });
      },
    });
    expect(outcome).toBe('redeployed-from-savepoint');
    const [second] = await p.migrator.context.jobs.status();
    expect(second?.hash).not.toBe(first?.hash);
    expect(await p.migrator.context.jobs.rest.restoredFrom(second?.jobId ?? '')).toMatch(/savepoint/);
    await expectCountsToMatch(p, ledger);
  });

  it('upgrades 0009 to 0011 (RocksDB settings only) from a savepoint mid-stream, and the counts stay exact', async () => {
    const p = await startPipeline('tuned', FAST_WINDOWS, { migrateTo: '0010_replicated_tables' });
    const [first] = await p.migrator.context.jobs.status();
    let applied: string[] = [];
    const ledger = await runScenario(p, {
      rounds: 6,
      ads: ['ad-a', 'ad-b'],
      t0: Date.UTC(2026, 0, 1, 7, 0, 0),
      seed: 41,
      afterRound: async (round) => {
        if (round === 3) applied = (await p.migrator.up({ to: '0011_clicks_pipeline' })).applied;
      },
    });
    expect(applied).toEqual(['0011_clicks_pipeline']);
    const [second] = await p.migrator.context.jobs.status();
    expect(second?.hash).not.toBe(first?.hash);
    expect(await p.migrator.context.jobs.rest.restoredFrom(second?.jobId ?? '')).toMatch(/savepoint/);
    await expectCountsToMatch(p, ledger);
  });

  it('rebuilds the job from the earliest offsets mid-stream (0007 to 0009, sender scope): final counts exact, summed counts off by at most the handover', async () => {
    const p = await startPipeline('rebuild', FAST_WINDOWS, { migrateTo: '0007_clicks_pipeline' });
    const [first] = await p.migrator.context.jobs.status();
    let applied: string[] = [];
    // The upgrade's order: until the engine is upgraded the ingest writes v2 records (no
    // sender); the ingest that writes v3 comes after `migrate up`.
    let upgraded = false;
    const ingest = {
      ...p,
      producer: {
        send: (batch: ProducerRecord) =>
          p.producer.send(upgraded ? batch : { ...batch, messages: batch.messages.map(asV2) }),
      },
    } as TestPipeline;
    const ledger = await runScenario(ingest, {
      rounds: 6,
      ads: ['ad-a', 'ad-b'],
      t0: Date.UTC(2026, 0, 1, 6, 0, 0),
      seed: 37,
      afterRound: async (round) => {
        if (round !== 3) return;
        applied = (await p.migrator.up({ to: '0009_clicks_pipeline' })).applied;
        upgraded = true;
      },
    });
    expect(applied).toEqual(['0008_sender_scope', '0009_clicks_pipeline']);
    const [second] = await p.migrator.context.jobs.status();
    expect(second?.hash).not.toBe(first?.hash);
    expect(second?.state).toBe('RUNNING');
    // Final counts, late clicks and hours: exact, as across any restart.
    const counts = pipelineCounts(p);
    const expected = { windows: ledger.expectedWindows(), late: ledger.expectedLate(), hours: ledger.expectedHours() };
    const read = async () => ({
      windows: await counts.windows(),
      late: await counts.late(),
      hours: await counts.hours(),
    });
    const actual = await eventually(
      async () => {
        const now = await read();
        return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
      },
      60_000,
      'final counts to match the ledger',
    ).catch(read);
    expect(actual).toEqual(expected);
    // Rejected counts are sums of per-second partial counts. Emitting them all again (what
    // "offsets from earliest" does) would double the 12; the rebuild can only miss or repeat
    // the records of the handover itself (docs/migrations.md): those of rounds 2 and 3, 4.
    const total = (k: Record<string, number>) => Object.values(k).reduce((a, b) => a + b, 0);
    const off = async () => Math.abs(total(await counts.rejected()) - total(ledger.expectedRejected()));
    const rejectedOff = await eventually(
      async () => ((await off()) <= 4 ? off() : undefined),
      30_000,
      'rejected counts',
    ).catch(off);
    expect(rejectedOff).toBeLessThanOrEqual(4);
    // `tollbooth status` reads the lag of the group the job really commits under.
    const { groups } = await jobHealth(p.config, p.migrator.context.jobs);
    const lag = await eventually(
      async () => {
        const all = await consumerLag(p.config, groups);
        return all.filter((l) => groups.includes(l.group)).every((l) => l.lag === 0) ? all : undefined;
      },
      30_000,
      'the job group to have read everything',
    ).catch(async () => consumerLag(p.config, groups));
    expect(lag.filter((l) => groups.includes(l.group)).map((l) => l.lag)).toEqual([0, 0]);
  });
});
