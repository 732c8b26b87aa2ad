/**
 * Flink is the real thing: a SQL job declared through the SQL Gateway reads JSON from Kafka,
 * transforms it, writes it back with an exactly-once sink, shows RUNNING on the REST API, and
 * stops with a savepoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shared/config.ts';
import { FlinkApiError } from '../../src/flink/http.ts';
import { FlinkRest } from '../../src/flink/flink-rest.ts';
import { SqlGateway, type GatewaySession } from '../../src/flink/sql-gateway.ts';
import { createTopics, deleteTopics, readUntil, testKafka } from '../helpers/kafka.ts';
import { testPrefix } from '../helpers/prefix.ts';

const config = loadConfig();
const kafka = testKafka(config);
const gateway = SqlGateway.fromConfig(config);
const rest = FlinkRest.fromConfig(config);
const prefix = testPrefix('flink');
const topics = { source: `${prefix}clicks`, sink: `${prefix}clicks_out` };
const bootstrap = `${config.host}:${config.kafka.port}`;

const setup = [
  `CREATE TABLE clicks (
     v INT, kind STRING, click_id STRING, ad_id STRING, ts BIGINT,
     event_time AS TO_TIMESTAMP_LTZ(ts, 3),
     WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND
   ) WITH (
     'connector' = 'kafka', 'topic' = '${topics.source}', 'properties.bootstrap.servers' = '${bootstrap}',
     'properties.group.id' = '${prefix}job', 'properties.isolation.level' = 'read_committed',
     'scan.startup.mode' = 'earliest-offset', 'format' = 'json', 'json.ignore-parse-errors' = 'true'
   )`,
  // Exactly-once, as the pipeline's sinks are; 10 min stays under the broker's 15 min cap.
  `CREATE TABLE clicks_out (click_id STRING, ad_id STRING, ts BIGINT) WITH (
     'connector' = 'kafka', 'topic' = '${topics.sink}', 'properties.bootstrap.servers' = '${bootstrap}',
     'format' = 'json', 'sink.delivery-guarantee' = 'exactly-once',
     'sink.transactional-id-prefix' = '${prefix}tx', 'properties.transaction.timeout.ms' = '600000'
   )`,
];
const insert = `INSERT INTO clicks_out SELECT click_id, UPPER(ad_id), ts FROM clicks WHERE kind = 'click'`;

describe('Flink (session cluster + SQL Gateway)', () => {
  let session: GatewaySession | undefined;
  let jobId: string | undefined;

  beforeAll(async () => {
    await createTopics(kafka, [topics.source, topics.sink]);
    session = await gateway.openSession({ name: `${prefix}session`, properties: { 'pipeline.name': `${prefix}job` } });
  });

  afterAll(async () => {
    // Only when a test failed before stopping its job: never leave a job holding a slot.
    if (jobId && (await rest.jobDetails(jobId)).state === 'RUNNING') await rest.cancelJob(jobId);
    await session?.close();
    await deleteTopics(kafka, [topics.source, topics.sink]);
  });

  it('is Flink 2.2 behind the gateway', async () => {
    expect((await gateway.info()).version).toMatch(/^2\.2\./);
  });

  it('surfaces a failed statement with its root cause', async () => {
    const failure = session!.execute('SELECT * FROM no_such_table');
    await expect(failure).rejects.toBeInstanceOf(FlinkApiError);
    await expect(failure).rejects.toThrow(/Object 'no_such_table' not found/);
  });

  it('runs a Kafka-to-Kafka SQL job: RUNNING, transforms records, stops with a savepoint', async () => {
    jobId = await session!.submitStatementSet(setup, [insert]);
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);

    await rest.waitForJobState(jobId, ['RUNNING'], { allTasksRunning: true });
    expect(await rest.listJobs()).toContainEqual(
      expect.objectContaining({ id: jobId, name: `${prefix}job`, state: 'RUNNING' }),
    );

    const now = Date.now();
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: topics.source,
        messages: [
          { v: 1, kind: 'click', click_id: 'c1', ad_id: 'ad-a', user_id: 'u1', ts: now },
          { v: 1, kind: 'heartbeat', ts: now + 1 },
          { v: 1, kind: 'click', click_id: 'c2', ad_id: 'ad-b', user_id: 'u2', ts: now + 2 },
          'not json: skipped, not fatal, thanks to json.ignore-parse-errors',
          { v: 1, kind: 'click', click_id: 'c3', ad_id: 'ad-a', user_id: 'u3', ts: now + 3 },
        ].map((m) => ({ value: typeof m === 'string' ? m : JSON.stringify(m) })),
      });
    } finally {
      await producer.disconnect();
    }

    // Read committed: the rows appear only when the job's next checkpoint (every 2 s) commits.
    const out = await readUntil(kafka, topics.sink, (ms) => ms.length >= 3, { timeoutMs: 60_000 });
    const rows = out.map((m) => JSON.parse(m.value?.toString() ?? 'null') as unknown);
    expect(rows).toEqual([
      { click_id: 'c1', ad_id: 'AD-A', ts: now },
      { click_id: 'c2', ad_id: 'AD-B', ts: now + 2 },
      { click_id: 'c3', ad_id: 'AD-A', ts: now + 3 },
    ]);

    const savepoint = await rest.stopWithSavepoint(jobId);
    expect(savepoint).toMatch(/^file:.*savepoint-/);
    expect((await rest.waitForJobState(jobId, ['FINISHED'])).state).toBe('FINISHED');
  });
});
