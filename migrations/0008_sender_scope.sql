-- Sender scope: click_ids live in their sender's namespace (docs/messages.md, v3), so the one
-- table keyed by click_id, clicks_late, gets a `sender` column in its key, and late counts are
-- distinct (sender, click_id) pairs. Two senders' clicks with one click_id on one ad stay two
-- rows; a replayed late row of the same sender still collapses onto the first.
-- Rows written before have sender '' (a String's default): the unscoped namespace, which is
-- also what job 0009 writes for a record without sender, so its rebuild's re-emitted late rows
-- collapse onto them. Other tables that hold click_ids (clicks_raw, clicks_rejected) are the
-- first release's and no longer written; dead_letters is keyed by Kafka offset.
-- Impact: an ALTER of clicks_late (metadata only: existing parts get the column's default, the
-- key only grows at its end, nothing is rewritten) and the ad_late_minute view re-created; the
-- sink may keep writing. No job restart here (0009 restarts the job). Apply before 0009: the job
-- writes `sender`, which a table without the column refuses. Not safe to run twice by hand
-- (18.16 has no ALTER ... IF NOT EXISTS; the runner applies each migration once).
-- Rollback: the key and the column go back (late rows of two senders with one click_id on one ad
-- collapse into one at the next merge, and are counted once, as before), the view as in 0002.
-- Roll 0009 back first and let the sink drain pipeline_out: a late row with `sender` that
-- reaches the table without the column is refused, so it goes to dead_letters.
-- The new sorting key column has no DEFAULT expression: 18.16 refuses one in a key it extends.

-- migrate:up
ALTER TABLE clicks_late ADD COLUMN sender String AFTER click_id, MODIFY ORDER BY (ad_id, click_id, sender);

DROP TABLE IF EXISTS ad_late_minute;
-- Late clicks per ad and minute of their own event time, each (sender, click_id) once.
CREATE VIEW ad_late_minute AS
SELECT ad_id, toStartOfMinute(ts) AS minute_start, uniqExact(sender, click_id) AS late
FROM ${DB}.clicks_late
GROUP BY ad_id, minute_start;

-- migrate:down
DROP TABLE IF EXISTS ad_late_minute;
CREATE VIEW ad_late_minute AS
SELECT ad_id, toStartOfMinute(ts) AS minute_start, uniqExact(click_id) AS late
FROM ${DB}.clicks_late
GROUP BY ad_id, minute_start;
ALTER TABLE clicks_late MODIFY ORDER BY (ad_id, click_id);
ALTER TABLE clicks_late DROP COLUMN sender;
