-- Rejected clicks (every verdict but accepted and invalid), one row per click_id.
CREATE TABLE IF NOT EXISTS ${DB}.clicks_rejected (
    click_id String,
    ad_id String,
    verdict String,
    ts DateTime,
    ts_ms UInt64,
    window_start DateTime
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (ad_id, window_start, verdict, click_id);
