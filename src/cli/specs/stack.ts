/** The commands that run the stack: the whole system, the services, health, the supervisor. */
import { ANY, type Command } from './command.ts';

const NAMES = 'redis|clickhouse|kafka|flink, one of their processes, or ingest|sink|api|pg';

export const stackCommands: Record<string, Command> = {
  start: {
    summary: 'the whole system with demo traffic (npm start); Ctrl-C stops what it started',
    options: { rate: { type: 'string', value: 'N', describe: 'demo clicks per second (default 20)' } },
    load: () => import('../commands/start.ts'),
  },
  loadgen: {
    summary: 'demo traffic into the ingest, sent with an ingest key made for the run',
    options: {
      rate: { type: 'string', value: 'N', describe: 'clicks per second (default 20)' },
      seconds: { type: 'string', value: 'S', describe: 'stop after S seconds (default 0: until Ctrl-C)' },
      url: { type: 'string', value: 'URL', describe: "where to send (default the ingest's /v1/clicks)" },
    },
    load: () => import('../commands/loadgen.ts'),
  },
  services: {
    summary: 'install, start and stop Kafka, Flink, ClickHouse and Redis (supervised)',
    subcommands: {
      up: {
        summary: 'install what is missing, start the services (all, or those named) and their supervisor',
        args: '[NAME...]',
        arity: ANY,
      },
      down: {
        summary: 'stop the supervisors, the apps and the services; with names, only those',
        args: '[NAME...]',
        arity: ANY,
      },
      stop: { summary: `stop and keep stopped: ${NAMES}`, args: 'NAME...', arity: [1, Number.POSITIVE_INFINITY] },
      status: { summary: 'the service processes: running or not, address, log file', args: '[NAME...]', arity: ANY },
      logs: { summary: "the last 40 lines of each service process's log", args: '[NAME...]', arity: ANY },
      systemd: { summary: 'print systemd units that run the stack at boot' },
    },
    load: () => import('../commands/services.ts'),
  },
  images: {
    summary: 'container images of every part, from deploy/images (docker-compose.yml runs them)',
    subcommands: {
      build: {
        summary: 'the base image where it is missing, then the images named (all by default)',
        args: '[jre|kafka|flink|clickhouse|redis|app|lb|zookeeper...]',
        arity: ANY,
      },
      configure: {
        summary: "write the services' configs and the secrets for the containers (docker-compose.yml's first step)",
        options: {
          out: { type: 'string', value: 'DIR', describe: 'where to write (default /etc/tollbooth)' },
          'taskmanager-host': { type: 'string', value: 'NAME', describe: "a TaskManager's name (default taskmanager)" },
        },
      },
    },
    load: () => import('../commands/images.ts'),
  },
  status: {
    summary: 'health on one screen: processes, jobs, lag, newest final window; exit 1 when not healthy',
    options: { json: { type: 'boolean', describe: 'the whole snapshot as JSON' } },
    quiet: true,
    load: () => import('../commands/status.ts'),
  },
  supervise: {
    summary: 'the supervisor (started by `services up` and `start`, not by hand)',
    options: {
      services: { type: 'boolean', describe: "supervise the stack's services" },
      apps: { type: 'string', value: 'a,b', describe: 'the apps to run and restart: ingest,sink,api,pg' },
    },
    load: () => import('../commands/supervise.ts'),
  },
};
