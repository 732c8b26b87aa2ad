/**
 * The user_id of a link click: the first-party cookie when the browser keeps one; otherwise an
 * HMAC of (ip, user agent) under a generated key, and the cookie is set to it. So a client
 * that keeps no cookie and replays a link is the same user, hence a duplicate within the minute.
 */
import { createHmac } from 'node:crypto';

export const USER_COOKIE = 'tb_uid';
// Browsers cap cookie lifetime at 400 days; asking for more is ignored.
const MAX_AGE_SECONDS = 400 * 24 * 3600;
const VALID_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface Visitor {
  ip: string;
  userAgent: string;
  cookieHeader: string | undefined;
  secure: boolean;
}

/** The user id from the Cookie header, or the cookieless one (with `setCookie` to send) if absent or malformed. */
export function linkUserId(visitor: Visitor, secret: string): { userId: string; setCookie: string | null } {
  for (const part of (visitor.cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === USER_COOKIE) {
      const value = part.slice(eq + 1).trim();
      if (VALID_ID.test(value)) return { userId: value, setCookie: null };
    }
  }
  // Keyed, so the id reveals nothing of the ip, and nobody without the key can make one for another visitor.
  const userId = createHmac('sha256', secret).update(`${visitor.ip}\n${visitor.userAgent}`).digest('base64url');
  const attrs = `Path=/; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${visitor.secure ? '; Secure' : ''}`;
  return { userId, setCookie: `${USER_COOKIE}=${userId}; ${attrs}` };
}
