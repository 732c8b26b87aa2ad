-- Dead letters: a pipeline record that ClickHouse refused (a data error, never an outage), with
-- where it came from and why, so the sink moves on and a person can look. ad_id and window_start
-- are copied out of the record when it has them, so a window with a dead letter is never final.
-- Impact: one new table, no job restart. Safe to run twice.
-- Rollback: drops the table and the dead letters in it.

-- migrate:up
CREATE TABLE IF NOT EXISTS dead_letters (
    topic String,
    partition UInt32,
    offset UInt64,
    target String,
    ad_id String,
    window_start DateTime,
    raw_value String,
    error String,
    at DateTime
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (topic, partition, offset);

-- migrate:down
DROP TABLE IF EXISTS dead_letters;
