/**
 * The Postgres-wire endpoint: `psql -h 127.0.0.1 -p 5433 -U analyst tollbooth` with an API key
 * of scope "all" as the password; read-only SQL in ClickHouse's dialect over the read models.
 * Listens on config.bindHost:config.api.pgPort.
 */
import { createServer, type Socket } from 'node:net';
import type { Config } from '../../shared/config.ts';
import { sqlString } from '../../shared/clickhouse.ts';
import type { Logger } from '../../shared/logger.ts';
import { closeWithError, serveConnection, type CancelRegistry } from './connection.ts';
import { addressKey, ConnectionTracker, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './limits.ts';
import type { LoadColumns } from './prepare.ts';
import { clickhouseRunner, type RunStatement } from './query.ts';
import { DEFAULT_CAPS, type FrameCaps } from './wire.ts';

/** True when the password is an API key that may read every ad (scope "all"). */
export type VerifyPassword = (password: string) => Promise<boolean>;

export interface PgServerDeps {
  config: Config;
  verifyPassword: VerifyPassword;
  log: Logger;
  /** Where statements go; the read-only ClickHouse user by default. */
  runStatement?: RunStatement;
  limits?: Partial<ConnectionLimits>;
  caps?: FrameCaps;
  /** Defaults to config.api.pgPort; 0 picks a free port (tests). */
  port?: number;
}

export interface PgServer {
  port: number;
  close(): Promise<void>;
}

/** Column types of tables in the pipeline's database, for inferring parameter types. */
function columnLoader(run: RunStatement): LoadColumns {
  return async (tables) => {
    if (tables.length === 0) return () => undefined;
    const out = await run(
      `SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table IN (${tables.map(sqlString).join(', ')})`,
    );
    const types = new Map<string, string>();
    if (out.ok) for (const [name, type] of out.rows) types.set(String(name), String(type));
    return (column) => types.get(column);
  };
}

export async function startPgServer(deps: PgServerDeps): Promise<PgServer> {
  const { config, log } = deps;
  const run = deps.runStatement ?? clickhouseRunner(config);
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...deps.limits };
  const tracker = new ConnectionTracker(limits);
  const cancels: CancelRegistry = new Map();
  const sockets = new Set<Socket>();

  const verifyPassword = async (user: string, password: string): Promise<boolean> => {
    try {
      const ok = await deps.verifyPassword(password);
      log.info({ user, ok }, 'pg login');
      return ok;
    } catch (err) {
      log.error({ err, user }, 'pg login check failed');
      return false;
    }
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const refused = tracker.admitPending(addressKey(socket.remoteAddress));
    if (refused !== undefined) {
      socket.on('error', () => undefined);
      return closeWithError(socket, { severity: 'FATAL', code: '53300', message: refused });
    }
    serveConnection(socket, {
      run,
      loadColumns: columnLoader(run),
      verifyPassword,
      tracker,
      cancels,
      caps: deps.caps ?? DEFAULT_CAPS,
      authDeadlineMs: limits.authDeadlineMs,
      log,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? config.api.pgPort, config.bindHost, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.api.pgPort;
  log.info({ host: config.bindHost, port, database: config.clickhouse.database }, 'pg endpoint listening');

  return {
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy(); // closing kills each session's running query
      await closed;
    },
  };
}
