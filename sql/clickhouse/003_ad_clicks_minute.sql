-- Final window counts from the Flink job, one row per emission. A replayed emission collapses
-- onto itself (same key, same offset); readers take the first emission of a window
-- (lowest offset), so a window re-fired after a restore can never replace a final count.
CREATE TABLE IF NOT EXISTS ${DB}.ad_clicks_minute_log (
    ad_id String,
    window_start DateTime,
    window_end DateTime,
    clicks UInt64,
    kafka_offset UInt64
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(window_start)
ORDER BY (ad_id, window_start, kafka_offset);
