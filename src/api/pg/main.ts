/**
 * The psql endpoint wired to the real dependencies: API keys from config.api.keysFile (only
 * scope "all" may log in, since SQL reaches every ad) and the read-only ClickHouse user.
 * The API process and `tollbooth pg` both start it through here.
 */
import { verifyApiKey } from '../auth/keys-file.ts';
import type { Config } from '../../shared/config.ts';
import { logger, type Logger } from '../../shared/logger.ts';
import { startPgServer, type PgServer, type VerifyPassword } from './server.ts';

/** Accepts a password that is a stored API key of scope "all"; an advertiser's key is refused. */
export function allScopeKeys(keysFile: string): VerifyPassword {
  // The file is read per login, not cached: a revoked key cannot open a new session.
  return async (password) => (await verifyApiKey(keysFile, password))?.kind === 'all';
}

export function startPgEndpoint(config: Config, log: Logger = logger.child({ component: 'pg' })): Promise<PgServer> {
  return startPgServer({ config, verifyPassword: allScopeKeys(config.api.keysFile), log });
}
