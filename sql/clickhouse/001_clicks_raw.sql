-- Accepted clicks as the ingest wrote them to Kafka, one row per click_id (replays collapse).
-- Source of provisional counts: uniqExact(click_id) is immune to duplicate rows.
CREATE TABLE IF NOT EXISTS ${DB}.clicks_raw (
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
