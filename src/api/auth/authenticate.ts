/**
 * The onRequest hook of the /v1 routes: finds the API key (`Authorization: Bearer <key>` or
 * `X-API-Key: <key>`), resolves its scope, and answers 401 saying why when it cannot.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Scope } from './scope.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's scope; set by `authenticate` on every /v1 route before the handler runs. */
    apiScope: Scope | null;
  }
}

export type KeyVerifier = (key: string) => Promise<Scope | undefined>;

type Presented = { ok: true; key: string } | { ok: false; reason: string };

/** The key of an `Authorization: Bearer <key>` header, or null if the header has another form. */
export function bearerKey(authorization: string): string | null {
  return /^Bearer +(\S+) *$/i.exec(authorization)?.[1] ?? null;
}

/** The key the request presents, or why there is none. */
export function presentedKey(headers: FastifyRequest['headers']): Presented {
  const auth = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (auth !== undefined) {
    const key = bearerKey(auth);
    return key !== null ? { ok: true, key } : { ok: false, reason: 'Authorization header must be "Bearer <API key>"' };
  }
  if (typeof apiKey === 'string' && apiKey.length > 0) return { ok: true, key: apiKey };
  return { ok: false, reason: 'missing API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>"' };
}

export function authenticate(verify: KeyVerifier) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const presented = presentedKey(request.headers);
    const scope = presented.ok ? await verify(presented.key) : undefined;
    if (scope === undefined) {
      const error = presented.ok ? 'unknown API key' : presented.reason;
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error });
      return;
    }
    request.apiScope = scope;
  };
}

/** The scope set by `authenticate`; a route outside the authenticated context is a programming error. */
export function scopeOf(request: FastifyRequest): Scope {
  if (request.apiScope === null) throw new Error(`route ${request.routeOptions.url ?? '?'} is not behind authenticate`);
  return request.apiScope;
}
