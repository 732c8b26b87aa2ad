-- job: clicks_pipeline
-- on change: savepoint
-- The counting job, fifth version: 0009's operators and keys, with less work per click in the
-- state backend. Against 0009 it changes only the two settings below (`git diff --no-index` of
-- the two files shows exactly these lines and this header):
--  * timers on the heap instead of in RocksDB: the one-second windows of the partial counts
--    register and delete a timer per ad every second, a RocksDB write and delete each; on the
--    heap they are a priority queue, written whole into each checkpoint (a few thousand
--    entries). Measured against the bloom filters alone: TaskManager 0.86, whole system 0.89 of
--    the CPU per click (`bench/results/2026-12-05T0114-compare.md`).
--  * bloom filters on every state's files: nearly every dedup lookup is for a click_id never seen,
--    and without a filter that miss reads an index block of every level-0 file (one per
--    checkpoint) and of each level below. Within noise in a 30 s run, whose state is small
--    (TaskManager 0.92, system 0.99: `bench/results/2026-12-05T0105-compare.md`); it stays for the
--    hour of click_ids a full horizon holds (`npm run bench:state`, docs/pipeline.md).
-- Why savepoint: the operators and their keys are 0009's; table options belong to the files a
-- backend writes and timers are restored into either store, so 0009's savepoint restores as it is
-- (test/pipeline/migrations.test.ts upgrades mid-stream and checks the counts).
-- Impact: stops the running clicks_pipeline job with a savepoint and resumes it from there.
-- Safe to run twice (an unchanged running job is left alone).
-- Rollback: redeploys 0009's job the same way (a savepoint).
-- Placeholders: docs/migrations.md.

SET 'pipeline.object-reuse' = 'true';
SET 'state.backend.type' = 'rocksdb';
SET 'execution.checkpointing.incremental' = 'true';
SET 'state.backend.rocksdb.use-bloom-filter' = 'true';
SET 'state.backend.rocksdb.timer-service.factory' = 'HEAP';

-- How long the engine remembers a counted click_id: the dedup horizon, the same as the
-- ingest's verdict memory. Window state is not affected (windows clean up on the watermark).
SET 'table.exec.state.ttl' = '${HORIZON_MS} ms';

CREATE TEMPORARY TABLE clicks_source (
  kind STRING,
  sender STRING,
  click_id STRING,
  ad_id STRING,
  campaign_id STRING,
  user_id STRING,
  ts BIGINT,
  client_ts BIGINT,
  event_time AS TO_TIMESTAMP_LTZ(ts, 3),
  proc_time AS PROCTIME(),
  kafka_partition INT METADATA FROM 'partition' VIRTUAL,
  kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL,
  -- Grace: events up to this much out of order still count in their window.
  WATERMARK FOR event_time AS event_time - INTERVAL '${GRACE_SECONDS}' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = '${TOPIC_CLICKS}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'properties.group.id' = '${JOB_NAME}',
  -- The ingest may write with transactions; never count an aborted record.
  'properties.isolation.level' = 'read_committed',
  ${SOURCE_STARTUP},
  -- A watermark after every record, so "late" depends on the data, not on a timer.
  'scan.watermark.emit.strategy' = 'on-event',
  'format' = 'json',
  'json.fail-on-missing-field' = 'false',
  'json.ignore-parse-errors' = 'true'
);

CREATE TEMPORARY TABLE rejected_source (
  kind STRING,
  sender STRING,
  click_id STRING,
  ad_id STRING,
  verdict STRING,
  ts BIGINT,
  proc_time AS PROCTIME(),
  kafka_partition INT METADATA FROM 'partition' VIRTUAL,
  kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = '${TOPIC_REJECTED}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'properties.group.id' = '${JOB_NAME}',
  'properties.isolation.level' = 'read_committed',
  ${SOURCE_STARTUP},
  'format' = 'json',
  'json.fail-on-missing-field' = 'false',
  'json.ignore-parse-errors' = 'true'
);

-- Every output as one JSON text: {"table": <ClickHouse table>, "row": {<its columns>}}.
CREATE TEMPORARY TABLE pipeline_out (
  record STRING
) WITH (
  'connector' = 'kafka',
  'topic' = '${TOPIC_PIPELINE_OUT}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = '${TRANSACTIONAL_ID_PREFIX}',
  -- 10 minutes: above any checkpoint pause we expect, below the broker's 15-minute cap.
  'properties.transaction.timeout.ms' = '600000',
  'format' = 'raw'
);

-- The late decision needs a watermark that survives a restore and decides the same way on a
-- replay: each click is judged against its own partition's watermark (the running maximum of
-- event time in that partition, heartbeats included, minus the grace), kept in checkpointed
-- state. It is never behind the window operator's watermark (the minimum over partitions), so
-- a click called on time is never dropped by the window, and every click lands in one output.
CREATE TEMPORARY VIEW clicks_watermarked AS
-- `is_new`: a record the previous version of this job had not read (docs/migrations.md, rebuild).
-- `sender`: '' for a record that names none (the unscoped namespace of v1/v2 records).
SELECT kind, COALESCE(sender, '') AS sender, click_id, ad_id, campaign_id, user_id, ts, client_ts, event_time, proc_time,
       MAX(ts) OVER (PARTITION BY kafka_partition ORDER BY proc_time
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - ${GRACE_MS} AS wm_ms,
       kafka_offset >= ${FIRST_NEW_OFFSET_CLICKS} AS is_new
FROM clicks_source;

-- Each (sender, click_id) once within the horizon: the first copy decides, on time or late, so
-- a copy written twice (a timed-out write that landed) is never counted twice, even when it is
-- late, and two senders' clicks with one click_id are two clicks.
-- COUNT(*) rather than ROW_NUMBER(): one operator shared by the three consumers (0007's header).
CREATE TEMPORARY VIEW clicks_first AS
SELECT sender, click_id, ad_id, COALESCE(campaign_id, '') AS campaign_id, user_id, ts, COALESCE(client_ts, ts) AS client_ts,
       event_time, proc_time, wm_ms, is_new, ts - MOD(ts, ${WINDOW_MS}) AS window_start_ms
FROM (
  SELECT *, COUNT(*) OVER (PARTITION BY sender, click_id ORDER BY proc_time
                           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS copy
  FROM clicks_watermarked
  WHERE kind = 'click' AND click_id IS NOT NULL AND ad_id IS NOT NULL AND ts IS NOT NULL
)
WHERE copy = 1;

-- A window closes when the watermark reaches its last millisecond: that is the late predicate.
CREATE TEMPORARY VIEW clicks_on_time AS
SELECT * FROM clicks_first WHERE window_start_ms + ${WINDOW_MS} - 1 > wm_ms;

-- Partial counts are summed: only for records a previous version of the job had not counted.
CREATE TEMPORARY VIEW clicks_on_time_new AS
SELECT * FROM clicks_on_time WHERE is_new;

CREATE TEMPORARY VIEW clicks_late AS
SELECT * FROM clicks_first WHERE window_start_ms + ${WINDOW_MS} - 1 <= wm_ms;

CREATE TEMPORARY VIEW rejected_first AS
SELECT ad_id, verdict, ts - MOD(ts, ${WINDOW_MS}) AS window_start_ms, proc_time
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY sender_scope, click_id ORDER BY proc_time) AS copy
  FROM (SELECT *, COALESCE(sender, '') AS sender_scope FROM rejected_source)
  WHERE kind = 'rejected' AND click_id IS NOT NULL AND ad_id IS NOT NULL AND verdict IS NOT NULL AND ts IS NOT NULL
)
-- Summed: only the records a previous version of the job had not counted.
WHERE copy = 1 AND kafka_offset >= ${FIRST_NEW_OFFSET_REJECTED};

-- Every output row: the event time it is about and whether a replay may emit it again (partial
-- counts are summed, so a second emission would count twice; the rest collapse onto the first),
-- for `tollbooth replay`'s filter, and its record.
CREATE TEMPORARY VIEW pipeline_rows AS
-- Final counts: one per ad and window, when the window closes.
SELECT UNIX_TIMESTAMP(DATE_FORMAT(window_start, 'yyyy-MM-dd HH:mm:ss')) * 1000 AS event_ms, TRUE AS replayable,
       JSON_OBJECT(KEY 'table' VALUE 'ad_clicks_minute_log', KEY 'row' VALUE JSON_OBJECT(
         KEY 'ad_id' VALUE ad_id,
         KEY 'window_start' VALUE DATE_FORMAT(window_start, 'yyyy-MM-dd HH:mm:ss'),
         KEY 'window_end' VALUE DATE_FORMAT(window_end, 'yyyy-MM-dd HH:mm:ss'),
         KEY 'clicks' VALUE COUNT(*))) AS record
FROM TABLE(TUMBLE(TABLE clicks_on_time, DESCRIPTOR(event_time), INTERVAL '${WINDOW_SECONDS}' SECOND))
GROUP BY ad_id, window_start, window_end
UNION ALL
-- One marker per closed window, heartbeats included: tells readers the window is final.
SELECT UNIX_TIMESTAMP(DATE_FORMAT(window_start, 'yyyy-MM-dd HH:mm:ss')) * 1000, TRUE,
       JSON_OBJECT(KEY 'table' VALUE 'windows_closed', KEY 'row' VALUE JSON_OBJECT(
         KEY 'window_start' VALUE DATE_FORMAT(window_start, 'yyyy-MM-dd HH:mm:ss'),
         KEY 'window_end' VALUE DATE_FORMAT(window_end, 'yyyy-MM-dd HH:mm:ss')))
FROM TABLE(TUMBLE(TABLE clicks_source, DESCRIPTOR(event_time), INTERVAL '${WINDOW_SECONDS}' SECOND))
GROUP BY window_start, window_end
UNION ALL
-- Late clicks, raw, for audit and billing: counted once in the late output by their own time.
SELECT ts, TRUE,
       JSON_OBJECT(KEY 'table' VALUE 'clicks_late', KEY 'row' VALUE JSON_OBJECT(
         KEY 'click_id' VALUE click_id, KEY 'sender' VALUE sender, KEY 'ad_id' VALUE ad_id, KEY 'campaign_id' VALUE campaign_id,
         KEY 'user_id' VALUE user_id,
         KEY 'ts' VALUE DATE_FORMAT(TO_TIMESTAMP_LTZ(ts, 3), 'yyyy-MM-dd HH:mm:ss'),
         KEY 'ts_ms' VALUE ts, KEY 'client_ts' VALUE client_ts,
         KEY 'watermark' VALUE DATE_FORMAT(TO_TIMESTAMP_LTZ(wm_ms, 3), 'yyyy-MM-dd HH:mm:ss.SSS')))
FROM clicks_late
UNION ALL
-- Provisional counts: the on-time clicks of each ad and window counted in the last second.
SELECT window_start_ms, FALSE,
       JSON_OBJECT(KEY 'table' VALUE 'ad_clicks_partial', KEY 'row' VALUE JSON_OBJECT(
         KEY 'ad_id' VALUE ad_id, KEY 'campaign_id' VALUE campaign_id,
         KEY 'window_start' VALUE DATE_FORMAT(TO_TIMESTAMP_LTZ(window_start_ms, 3), 'yyyy-MM-dd HH:mm:ss'),
         KEY 'clicks' VALUE COUNT(*)))
FROM TABLE(TUMBLE(TABLE clicks_on_time_new, DESCRIPTOR(proc_time), INTERVAL '1' SECOND))
GROUP BY ad_id, campaign_id, window_start_ms, window_start, window_end
UNION ALL
-- Rejected counts the same way, per verdict: bots can outnumber clicks.
SELECT window_start_ms, FALSE,
       JSON_OBJECT(KEY 'table' VALUE 'ad_rejected_partial', KEY 'row' VALUE JSON_OBJECT(
         KEY 'ad_id' VALUE ad_id, KEY 'verdict' VALUE verdict,
         KEY 'window_start' VALUE DATE_FORMAT(TO_TIMESTAMP_LTZ(window_start_ms, 3), 'yyyy-MM-dd HH:mm:ss'),
         KEY 'clicks' VALUE COUNT(*)))
FROM TABLE(TUMBLE(TABLE rejected_first, DESCRIPTOR(proc_time), INTERVAL '1' SECOND))
GROUP BY ad_id, verdict, window_start_ms, window_start, window_end;

EXECUTE STATEMENT SET
BEGIN
INSERT INTO pipeline_out SELECT record FROM pipeline_rows WHERE ${OUTPUT_FILTER};
END;
