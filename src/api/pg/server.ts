/**
 * The Postgres-wire endpoint: `psql -h 127.0.0.1 -p 5433 -U analyst tollbooth` with an API key
 * of scope "all" as the password, read-only SQL in ClickHouse's dialect over the read models.
 * Listens on config.host:config.api.pgPort; one pg-gateway connection per socket.
 */
import { createServer, type Socket } from 'node:net';
import { fromNodeSocket } from 'pg-gateway/node';
import type { Config } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';
import { clickhouseRunner, type RunStatement } from './query.ts';
import { createSession } from './session.ts';

/** True when the password is an API key that may read every ad (scope "all"). */
export type VerifyPassword = (password: string) => Promise<boolean>;

export interface PgServerDeps {
  config: Config;
  verifyPassword: VerifyPassword;
  log: Logger;
  /** Where statements go; the read-only ClickHouse user by default. */
  runStatement?: RunStatement;
  /** Defaults to config.api.pgPort; 0 picks a free port (tests). */
  port?: number;
}

export interface PgServer {
  port: number;
  close(): Promise<void>;
}

// What psql shows as the server version; it also picks psql's catalog queries, which fail here
// anyway (there is no pg_catalog), so any recent major version will do.
const SERVER_VERSION = '15.0 (Tollbooth, ClickHouse dialect)';

// A client that has not authenticated within this long is dropped: an open socket costs memory.
const AUTH_DEADLINE_MS = 10_000;

// ClickHouse's max_concurrent_queries defaults to 100; the pipeline and the REST API need most of them.
const MAX_CONNECTIONS = 32;

export async function startPgServer(deps: PgServerDeps): Promise<PgServer> {
  const { config, log } = deps;
  const run = deps.runStatement ?? clickhouseRunner(config);
  const sockets = new Set<Socket>();

  const verify = async (user: string, password: string): Promise<boolean> => {
    try {
      const ok = await deps.verifyPassword(password);
      log.info({ user, ok }, 'pg login');
      return ok;
    } catch (err) {
      log.error({ err, user }, 'pg login check failed');
      return false;
    }
  };

  const serve = async (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (err) => log.debug({ err }, 'pg client socket error')); // a vanished client is not our fault
    const deadline = setTimeout(() => socket.destroy(), AUTH_DEADLINE_MS);
    socket.on('close', () => clearTimeout(deadline));
    await fromNodeSocket(socket, {
      serverVersion: SERVER_VERSION,
      auth: {
        method: 'password',
        // pg-gateway compares against this by default; validateCredentials checks the key instead.
        getClearTextPassword: () => '',
        validateCredentials: ({ username, password }) => verify(username, password),
      },
      onAuthenticated: () => clearTimeout(deadline),
      onMessage: createSession(run),
    });
  };

  const server = createServer((socket) => {
    serve(socket).catch((err: unknown) => {
      log.error({ err }, 'pg connection failed');
      socket.destroy();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? config.api.pgPort, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.api.pgPort;
  log.info({ host: config.host, port, database: config.clickhouse.database }, 'pg endpoint listening');

  return {
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy(); // sessions are stateless: nothing to finish
      await closed;
    },
  };
}
