/**
 * Who is sending clicks. `Authorization: Bearer <ingest key>` makes a trusted server sending
 * for its users; no key makes an anonymous caller; an unknown or revoked key is refused (401)
 * and a stats key is refused (403): stats keys ingest nothing.
 */
import type { FastifyRequest } from 'fastify';
import { bearerKey } from '../api/auth/authenticate.ts';
import type { KeyScope } from '../api/auth/scope.ts';

export type KeyLookup = (key: string) => Promise<{ name: string; scope: KeyScope } | undefined>;

export type Caller =
  | {
      ok: true;
      trusted: boolean;
      /** The namespace of the caller's click_ids and user_ids: the key's sender; null = anonymous. */
      sender: string | null;
      /** The campaigns the key may name; undefined = any (or anonymous, which names none). */
      campaigns: readonly string[] | undefined;
    }
  | { ok: false; status: 401 | 403; error: string };

export async function callerOf(headers: FastifyRequest['headers'], lookup: KeyLookup): Promise<Caller> {
  const auth = headers.authorization;
  if (auth === undefined) return { ok: true, trusted: false, sender: null, campaigns: undefined };
  const key = bearerKey(auth);
  if (key === null) return { ok: false, status: 401, error: 'Authorization header must be "Bearer <ingest key>"' };
  const stored = await lookup(key);
  if (stored === undefined) return { ok: false, status: 401, error: 'unknown or revoked key' };
  if (stored.scope.kind !== 'ingest')
    return { ok: false, status: 403, error: 'this key reads stats; sending clicks needs a key of scope ingest' };
  // The key's name stands for its sender until keys carry a sender of their own.
  return { ok: true, trusted: true, sender: stored.name, campaigns: undefined };
}
