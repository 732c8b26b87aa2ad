-- job: clicks_pipeline
-- on change: savepoint
-- The first release of the counting job (superseded by 0006_clicks_pipeline).
-- Impact: starts the job; safe to run twice (an unchanged running job is left alone).
-- Rollback: stops the job with a savepoint.
-- Job clicks_pipeline: counts accepted clicks per ad in event-time tumbling windows, exactly once.
--
-- One job, one source, one sink, so that:
--   * the counting path and the late path test one predicate against one watermark
--     (every click lands in exactly one of them);
--   * window counts, window-closed markers and late clicks of a checkpoint are committed in one
--     Kafka transaction, so a reader never sees a window closed without its counts.
-- Placeholders: docs/migrations.md.

CREATE TEMPORARY TABLE clicks_source (
  kind STRING,
  click_id STRING,
  ad_id STRING,
  campaign_id STRING,
  user_id STRING,
  ts BIGINT,
  event_time AS TO_TIMESTAMP_LTZ(ts, 3),
  proc_time AS PROCTIME(),
  kafka_partition INT METADATA FROM 'partition' VIRTUAL,
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

CREATE TEMPORARY TABLE pipeline_out (
  kind STRING,
  ad_id STRING,
  window_start STRING,
  window_end STRING,
  clicks BIGINT,
  click_id STRING,
  campaign_id STRING,
  user_id STRING,
  ts BIGINT,
  watermark_ts STRING
) WITH (
  'connector' = 'kafka',
  'topic' = '${TOPIC_PIPELINE_OUT}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = '${TRANSACTIONAL_ID_PREFIX}',
  -- 10 minutes: above any checkpoint pause we expect, below the broker's 15-minute cap.
  'properties.transaction.timeout.ms' = '600000',
  'format' = 'json'
);

-- The late decision needs a watermark that survives a restore, and decides the same way when
-- the partitions are replayed in another interleaving. The source's own watermark does neither:
-- it starts over after a restore (the window operator, by contrast, restores its own), so a
-- replayed late click would pass as on time and then be dropped by the window.
-- So each click is judged against its own partition's watermark: the running maximum of event
-- time in that partition (heartbeats included) minus the grace, kept in this operator's
-- checkpointed state. A partition is read in order, so the replay gives the same answer. It is
-- never behind the window operator's watermark (the minimum of the same partitions' maxima), so
-- a click called on time is never dropped by the window, and a click the window would drop is
-- always called late: every click lands in exactly one output.
CREATE TEMPORARY VIEW clicks_watermarked AS
SELECT kind, click_id, ad_id, campaign_id, user_id, ts, event_time,
       MAX(ts) OVER (PARTITION BY kafka_partition ORDER BY proc_time
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - ${GRACE_MS} AS wm_ms
FROM clicks_source;

-- A window closes when the watermark reaches its last millisecond: that is the late predicate.
CREATE TEMPORARY VIEW clicks_classified AS
SELECT click_id, ad_id, campaign_id, user_id, ts, event_time, wm_ms,
       ts - MOD(ts, ${WINDOW_MS}) + ${WINDOW_MS} - 1 AS window_last_ms
FROM clicks_watermarked
WHERE kind = 'click' AND click_id IS NOT NULL AND ad_id IS NOT NULL AND ts IS NOT NULL;

CREATE TEMPORARY VIEW clicks_on_time AS
SELECT click_id, ad_id, event_time FROM clicks_classified
WHERE window_last_ms > wm_ms;

CREATE TEMPORARY VIEW clicks_late AS
SELECT * FROM clicks_classified
WHERE window_last_ms <= wm_ms;

-- Everything the job emits: window counts, window-closed markers and late clicks.
CREATE TEMPORARY VIEW pipeline_rows AS
SELECT 'count' AS kind, ad_id,
       DATE_FORMAT(window_start, 'yyyy-MM-dd HH:mm:ss') AS window_start,
       DATE_FORMAT(window_end, 'yyyy-MM-dd HH:mm:ss') AS window_end,
       COUNT(DISTINCT click_id) AS clicks, CAST(NULL AS STRING) AS click_id, CAST(NULL AS STRING) AS campaign_id,
       CAST(NULL AS STRING) AS user_id, CAST(NULL AS BIGINT) AS ts, CAST(NULL AS STRING) AS watermark_ts
FROM TABLE(TUMBLE(TABLE clicks_on_time, DESCRIPTOR(event_time), INTERVAL '${WINDOW_SECONDS}' SECOND))
GROUP BY ad_id, window_start, window_end
UNION ALL
-- One marker per closed window, heartbeats included: tells readers the window is final.
SELECT 'closed', CAST(NULL AS STRING),
       DATE_FORMAT(window_start, 'yyyy-MM-dd HH:mm:ss'), DATE_FORMAT(window_end, 'yyyy-MM-dd HH:mm:ss'),
       COUNT(*), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING),
       CAST(NULL AS BIGINT), CAST(NULL AS STRING)
FROM TABLE(TUMBLE(TABLE clicks_source, DESCRIPTOR(event_time), INTERVAL '${WINDOW_SECONDS}' SECOND))
GROUP BY window_start, window_end
UNION ALL
SELECT 'late', ad_id, CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS BIGINT),
       click_id, campaign_id, user_id, ts, DATE_FORMAT(TO_TIMESTAMP_LTZ(wm_ms, 3), 'yyyy-MM-dd HH:mm:ss.SSS')
FROM clicks_late;

EXECUTE STATEMENT SET
BEGIN
INSERT INTO pipeline_out SELECT * FROM pipeline_rows;
END;
