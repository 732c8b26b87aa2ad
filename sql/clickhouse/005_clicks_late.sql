-- Late clicks (behind the watermark when they arrived), kept raw for audit, one row per click_id.
CREATE TABLE IF NOT EXISTS ${DB}.clicks_late (
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
