/**
 * The user_id of a link click: the signed first-party cookie when the browser keeps one;
 * otherwise an HMAC of (ip, user agent) under a generated key, and the signed cookie is set to
 * it. A made-up or tampered cookie counts as none (its signature does not verify), so a client
 * cannot pick its identity: one that keeps no cookie, or makes one up, and replays a link is the
 * same user, hence a duplicate within the minute; the per-address limits catch the rest.
 * Parsing and signing are @fastify/cookie's (registered in app.ts with cookieSecret).
 */
import { createHmac } from 'node:crypto';
import type { CookieSerializeOptions, UnsignResult } from '@fastify/cookie';

export const USER_COOKIE = 'tb_uid';
// Browsers cap cookie lifetime at 400 days; asking for more is ignored.
const MAX_AGE_SECONDS = 400 * 24 * 3600;
const VALID_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The cookie's signing key, derived: a cookie signature and a cookieless id are never the same HMAC. */
export function cookieSecret(userSecret: string): string {
  return createHmac('sha256', userSecret).update('tb_uid cookie').digest('base64url');
}

export interface Visitor {
  ip: string;
  userAgent: string;
  /** The tb_uid cookie, unsigned; undefined if the request had none. */
  cookie: UnsignResult | undefined;
}

/** The user id: the cookie's when its signature verifies, else the cookieless one (`fresh`: set the cookie). */
export function linkUserId(visitor: Visitor, userSecret: string): { userId: string; fresh: boolean } {
  const { cookie } = visitor;
  if (cookie?.valid && cookie.value !== null && VALID_ID.test(cookie.value))
    return { userId: cookie.value, fresh: false };
  // Keyed, so the id reveals nothing of the ip, and nobody without the key can make one for another visitor.
  const userId = createHmac('sha256', userSecret).update(`${visitor.ip}\n${visitor.userAgent}`).digest('base64url');
  return { userId, fresh: true };
}

export function userCookieOptions(secure: boolean): CookieSerializeOptions {
  return { path: '/', maxAge: MAX_AGE_SECONDS, httpOnly: true, sameSite: 'lax', secure, signed: true };
}
