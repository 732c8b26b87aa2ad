-- One row per window the Flink job has closed: a bucket ending at or before the latest
-- closed window_end is final.
CREATE TABLE IF NOT EXISTS ${DB}.windows_closed (
    window_start DateTime,
    window_end DateTime
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(window_start)
ORDER BY window_start;
