-- Read models. Every aggregate here is immune to duplicate rows (a replayed Kafka record has the
-- same partition and offset, so it adds nothing to groupUniqArray or uniqExact).
--
-- Emissions of each window in the order the Flink job committed them (pipeline_out has one partition).
CREATE VIEW IF NOT EXISTS ${DB}.ad_clicks_emissions AS
SELECT ad_id, window_start, any(window_end) AS window_end,
       arraySort(groupUniqArray((kafka_offset, clicks))) AS emissions
FROM ${DB}.ad_clicks_minute_log
GROUP BY ad_id, window_start;
--
-- The final count of a window is its first emission. The job emits a window once; a second
-- emission could only come from a redeploy that re-read a window's clicks from Kafka offsets,
-- and must never replace the count that was already final.
CREATE VIEW IF NOT EXISTS ${DB}.ad_clicks_minute AS
SELECT ad_id, window_start, window_end, tupleElement(emissions[1], 2) AS clicks
FROM ${DB}.ad_clicks_emissions;
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
