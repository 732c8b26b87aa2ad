-- The tables the sink writes: raw accepted and rejected clicks, final window counts,
-- closed-window markers and late clicks (the first release's schema).
-- Impact: DDL only, no job restart. Safe to run twice (IF NOT EXISTS).
-- Rollback: drops the tables and their data; the Kafka topics still hold the clicks, so `up`
-- followed by a job and sink restart from the beginning rebuilds them.

-- migrate:up
-- Accepted clicks as the ingest wrote them to Kafka, one row per click_id (replays collapse).
-- Source of provisional counts: uniqExact(click_id) is immune to duplicate rows.
CREATE TABLE IF NOT EXISTS clicks_raw (
    click_id String,
    ad_id String,
    campaign_id String,
    user_id String,
    ts DateTime,
    ts_ms UInt64,
    window_start DateTime,
    ingested_at UInt64
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (ad_id, window_start, click_id);
-- Rejected clicks (every verdict but accepted and invalid), one row per click_id.
CREATE TABLE IF NOT EXISTS clicks_rejected (
    click_id String,
    ad_id String,
    verdict String,
    ts DateTime,
    ts_ms UInt64,
    window_start DateTime
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (ad_id, window_start, verdict, click_id);
-- Final window counts from the Flink job, one row per emission. A replayed emission collapses
-- onto itself (same key, same offset); readers take the first emission of a window
-- (lowest offset), so a window re-fired after a restore can never replace a final count.
CREATE TABLE IF NOT EXISTS ad_clicks_minute_log (
    ad_id String,
    window_start DateTime,
    window_end DateTime,
    clicks UInt64,
    kafka_offset UInt64
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(window_start)
ORDER BY (ad_id, window_start, kafka_offset);
-- One row per window the Flink job has closed: a bucket ending at or before the latest
-- closed window_end is final.
CREATE TABLE IF NOT EXISTS windows_closed (
    window_start DateTime,
    window_end DateTime
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(window_start)
ORDER BY window_start;
-- Late clicks (behind the watermark when they arrived), kept raw for audit, one row per click_id.
CREATE TABLE IF NOT EXISTS clicks_late (
    click_id String,
    ad_id String,
    campaign_id String,
    user_id String,
    ts DateTime,
    ts_ms UInt64,
    watermark String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (ad_id, click_id);

-- migrate:down
DROP TABLE IF EXISTS clicks_late;
DROP TABLE IF EXISTS windows_closed;
DROP TABLE IF EXISTS ad_clicks_minute_log;
DROP TABLE IF EXISTS clicks_rejected;
DROP TABLE IF EXISTS clicks_raw;
