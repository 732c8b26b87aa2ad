/**
 * Who is sending clicks. `Authorization: Bearer <ingest key>` makes a trusted server sending
 * for its users; no key makes an anonymous caller; an unknown or revoked key is refused (401)
 * and a stats key is refused (403): stats keys ingest nothing.
 */
import type { FastifyRequest } from 'fastify';
import { bearerKey } from '../api/auth/authenticate.ts';
import { senderOf, type KeyIdentity } from '../api/auth/keys.ts';

/** The stored key of a presented one; seen on the next request after `keys create/revoke`. */
export type KeyLookup = (key: string) => Promise<KeyIdentity | undefined>;

export type Caller =
  | {
      ok: true;
      /** sender !== null: the body's ip, user_agent and campaign_id are honoured. */
      trusted: boolean;
      /** The namespace of the caller's click_ids and user_ids; null for an anonymous caller. */
      sender: string | null;
      /** The campaigns its clicks may name; undefined: any (an anonymous caller names none). */
      campaigns: readonly string[] | undefined;
    }
  | { ok: false; status: 401 | 403; error: string };

export const ANONYMOUS: Caller = { ok: true, trusted: false, sender: null, campaigns: undefined };

export async function callerOf(headers: FastifyRequest['headers'], lookup: KeyLookup): Promise<Caller> {
  const auth = headers.authorization;
  if (auth === undefined) return ANONYMOUS;
  const key = bearerKey(auth);
  if (key === null) return { ok: false, status: 401, error: 'Authorization header must be "Bearer <ingest key>"' };
  const stored = await lookup(key);
  if (stored === undefined) return { ok: false, status: 401, error: 'unknown or revoked key' };
  if (stored.scope.kind !== 'ingest')
    return { ok: false, status: 403, error: 'this key reads stats; sending clicks needs a key of scope ingest' };
  return { ok: true, trusted: true, sender: senderOf(stored), campaigns: stored.scope.campaigns };
}
