/** The first-party cookie that carries a link click's user_id. */
import { randomUUID } from 'node:crypto';

export const USER_COOKIE = 'tb_uid';
// Browsers cap cookie lifetime at 400 days; asking for more is ignored.
const MAX_AGE_SECONDS = 400 * 24 * 3600;
const VALID_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The user id from the Cookie header, or a fresh one (with `setCookie` to send) if absent or malformed. */
export function userIdFromCookie(header: string | undefined, secure: boolean): { userId: string; setCookie: string | null } {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === USER_COOKIE) {
      const value = part.slice(eq + 1).trim();
      if (VALID_ID.test(value)) return { userId: value, setCookie: null };
    }
  }
  const userId = randomUUID();
  const attrs = `Path=/; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  return { userId, setCookie: `${USER_COOKIE}=${userId}; ${attrs}` };
}
