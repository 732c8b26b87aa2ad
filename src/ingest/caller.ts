/**
 * Who is sending clicks. `Authorization: Bearer <ingest key>` makes a trusted server sending
 * for its users; no key makes an anonymous caller; an unknown or revoked key is refused (401)
 * and a stats key is refused (403): stats keys ingest nothing.
 */
import type { FastifyRequest } from 'fastify';
import { bearerKey } from '../api/auth/authenticate.ts';
import type { KeyScope } from '../api/auth/scope.ts';

export type KeyLookup = (key: string) => Promise<KeyScope | undefined>;

export type Caller = { ok: true; trusted: boolean } | { ok: false; status: 401 | 403; error: string };

export async function callerOf(headers: FastifyRequest['headers'], lookup: KeyLookup): Promise<Caller> {
  const auth = headers.authorization;
  if (auth === undefined) return { ok: true, trusted: false };
  const key = bearerKey(auth);
  if (key === null) return { ok: false, status: 401, error: 'Authorization header must be "Bearer <ingest key>"' };
  const scope = await lookup(key);
  if (scope === undefined) return { ok: false, status: 401, error: 'unknown or revoked key' };
  if (scope.kind !== 'ingest')
    return { ok: false, status: 403, error: 'this key reads stats; sending clicks needs a key of scope ingest' };
  return { ok: true, trusted: true };
}
