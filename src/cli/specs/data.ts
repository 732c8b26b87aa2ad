/** The commands over the data: migrations, Flink jobs, replays, topics, and the servers. */
import type { Command } from './command.ts';

export const dataCommands: Record<string, Command> = {
  migrate: {
    summary: 'ClickHouse tables and Flink job deploys',
    subcommands: {
      up: {
        summary: 'apply the pending migrations (and deploy their Flink jobs)',
        options: { to: { type: 'string', value: 'NAME', describe: 'stop after applying NAME' } },
      },
      down: {
        summary: 'revert the latest migration, or every one down to and including NAME',
        options: {
          to: { type: 'string', value: 'NAME|0', describe: 'revert down to and including NAME (0: all of them)' },
        },
      },
      status: { summary: 'each migration: applied, pending, changed or missing; exit 1 on changed or missing' },
      new: {
        summary: 'create the next migration file from a template',
        args: 'NAME',
        arity: [1, 1],
        options: { flink: { type: 'boolean', describe: 'a Flink job migration (.flink.sql)' } },
      },
    },
    load: () => import('../commands/migrate.ts'),
  },
  replay: {
    summary: 'recompute the final windows of a time range from Kafka',
    options: {
      from: { type: 'string', value: 'TIME', required: true, describe: 'epoch ms, or ISO-8601 with a zone' },
      to: { type: 'string', value: 'TIME', required: true, describe: 'epoch ms, or ISO-8601 with a zone' },
      job: {
        type: 'string',
        value: 'NAME',
        describe: 'the job to replay, at its deployed version (default clicks_pipeline)',
      },
    },
    load: () => import('../commands/replay.ts'),
  },
  jobs: {
    summary: 'the Flink jobs the migrations deployed',
    subcommands: {
      status: { summary: 'each job: wanted, Flink state, latest retained checkpoint; exit 1 when one is down' },
      ensure: { summary: 'restart lost jobs from their latest retained checkpoint' },
      watch: {
        summary: 'ensure the jobs whenever the JobManager comes back without them (containers); until SIGTERM',
      },
    },
    quiet: true,
    load: () => import('../commands/jobs.ts'),
  },
  tail: {
    summary: "print a topic's records from the beginning as JSON lines; Ctrl-C stops",
    args: 'clicks|clicks_rejected|pipeline_out',
    arity: [1, 1],
    options: { max: { type: 'string', value: 'N', describe: 'stop after N records, or at the end of the topic' } },
    quiet: true,
    load: () => import('../commands/tail.ts'),
  },
  ingest: {
    summary: 'run the HTTP ingest (POST /v1/clicks, GET /c/<token>)',
    load: () => import('../commands/ingest.ts'),
  },
  sink: { summary: 'run the Kafka-to-ClickHouse sink', load: () => import('../commands/sink.ts') },
  api: {
    summary: 'run the stats API (REST, /docs, /metrics, dashboard at /)',
    load: () => import('../commands/api.ts'),
  },
  pg: {
    summary: 'run the Postgres-wire endpoint (psql, read-only SQL)',
    load: () => import('../commands/pg.ts'),
  },
};
