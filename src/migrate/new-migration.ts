/** The skeleton `tollbooth migrate new` writes: the header every migration opens with. */
export function migrationTemplate(name: string, flink: boolean): string {
  if (flink) {
    return `-- job: ${name}
-- on change: savepoint
-- What this job computes, and where its rows go.
-- Impact: starts (or replaces) the job. Safe to run twice.
-- Rollback: redeploys the job's previous migration, or stops it.
-- Placeholders: docs/migrations.md.

CREATE TEMPORARY TABLE clicks_source (
  kind STRING,
  click_id STRING,
  ad_id STRING,
  ts BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '\${TOPIC_CLICKS}',
  'properties.bootstrap.servers' = '\${KAFKA_BOOTSTRAP}',
  'properties.group.id' = '\${JOB_NAME}',
  'properties.isolation.level' = 'read_committed',
  \${SOURCE_STARTUP},
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

CREATE TEMPORARY TABLE pipeline_out (record STRING) WITH (
  'connector' = 'kafka',
  'topic' = '\${TOPIC_PIPELINE_OUT}',
  'properties.bootstrap.servers' = '\${KAFKA_BOOTSTRAP}',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = '\${TRANSACTIONAL_ID_PREFIX}',
  'properties.transaction.timeout.ms' = '600000',
  'format' = 'raw'
);

EXECUTE STATEMENT SET
BEGIN
-- Heartbeats (kind = 'heartbeat') only move the watermark: never count them.
INSERT INTO pipeline_out SELECT JSON_OBJECT(KEY 'table' VALUE 'my_table', KEY 'row' VALUE JSON_OBJECT(KEY 'ad_id' VALUE ad_id)) FROM clicks_source WHERE kind = 'click';
END;
`;
  }
  return `-- What this migration changes (tables, views), and why.
-- Impact: DDL only / rewrites data / restarts a job. Safe to run twice: yes/no.
-- Rollback: what down does, and what it loses.

-- migrate:up

-- migrate:down
-- ClickHouse 18.16 has no DROP VIEW: a view is dropped with DROP TABLE.
`;
}
