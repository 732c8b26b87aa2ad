-- The read models: final minute counts (first emission wins), hour rollups as sums of final
-- minutes, provisional counts, rejected and late counts.
-- Impact: views only, no data is copied, no job restart. Safe to run twice.
-- Rollback: drops the views; the tables stay.
-- Views name the database (${DB}): ClickHouse 18.16 does not qualify names inside a view.

-- migrate:up
-- Read models. Every aggregate here is immune to duplicate rows (a replayed Kafka record has the
-- same offset and value, so it moves neither argMin nor uniqExact).
--
-- The final count of a window is its first emission (lowest offset: pipeline_out has one
-- partition). The job emits a window once; a second emission could only come from a redeploy
-- that re-read a window's clicks from Kafka offsets, and must never replace a final count.
-- argMin, not an array of (offset, clicks) tuples: 18.16 re-reads a view with Array(Tuple)
-- as Nested columns after a server restart and then fails ("Not found column emissions.1").
CREATE VIEW IF NOT EXISTS ${DB}.ad_clicks_minute AS
SELECT ad_id, window_start, any(window_end) AS window_end, argMin(clicks, kafka_offset) AS clicks
FROM ${DB}.ad_clicks_minute_log
GROUP BY ad_id, window_start;
--
-- Hour rollups are sums of final minutes by construction, so they always agree.
CREATE VIEW IF NOT EXISTS ${DB}.ad_clicks_hour AS
SELECT ad_id, toStartOfHour(window_start) AS hour_start, sum(clicks) AS clicks
FROM ${DB}.ad_clicks_minute
GROUP BY ad_id, hour_start;
--
CREATE VIEW IF NOT EXISTS ${DB}.ad_clicks_provisional AS
SELECT ad_id, window_start, uniqExact(click_id) AS clicks
FROM ${DB}.clicks_raw
GROUP BY ad_id, window_start;
--
CREATE VIEW IF NOT EXISTS ${DB}.ad_rejected_minute AS
SELECT ad_id, window_start, verdict, uniqExact(click_id) AS clicks
FROM ${DB}.clicks_rejected
GROUP BY ad_id, window_start, verdict;
--
-- Late clicks per ad and minute of their own event time.
CREATE VIEW IF NOT EXISTS ${DB}.ad_late_minute AS
SELECT ad_id, toStartOfMinute(ts) AS minute_start, uniqExact(click_id) AS late
FROM ${DB}.clicks_late
GROUP BY ad_id, minute_start;

-- migrate:down
DROP TABLE IF EXISTS ad_late_minute;
DROP TABLE IF EXISTS ad_rejected_minute;
DROP TABLE IF EXISTS ad_clicks_provisional;
DROP TABLE IF EXISTS ad_clicks_hour;
DROP TABLE IF EXISTS ad_clicks_minute;
