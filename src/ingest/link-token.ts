/**
 * Signed click links: `<kid>.<payload>.<signature>`, payload = base64url JSON naming the ad and
 * its landing URL (and optionally an expiry, `exp`, epoch seconds), signature = base64url HMAC-SHA256 over `<kid>.<payload>` with the key `kid`
 * names. The key id is signed too, and every configured key verifies, so secrets can rotate.
 * A token that fails any check is a typed failure: the route answers 400 and never redirects.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AD_ID } from '../shared/ids.ts';

// Far above any real landing URL, and keeps the whole link under common 8 KiB URL limits.
export const MAX_URL_LENGTH = 2048;
const MAX_TOKEN_LENGTH = 4096;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f]/;

/** True for an absolute http(s) URL with no control characters or whitespace (no header injection). */
export function isSafeLandingUrl(url: string): boolean {
  if (url.length > MAX_URL_LENGTH || CONTROL_OR_SPACE.test(url)) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const linkSchema = z.object({
  ad: z.string().regex(AD_ID),
  url: z.string().refine(isSafeLandingUrl),
  cmp: z.string().regex(AD_ID).optional(),
  exp: z.number().int().positive().optional(),
});

export interface Link {
  adId: string;
  url: string;
  campaignId: string | null;
  /** Epoch ms after which the link still redirects but its clicks are invalid ("expired link"). */
  expiresAt?: number | null;
}

export type VerifyOutcome = { ok: true; link: Link } | { ok: false; error: string };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const mac = (secret: string, signed: string) => createHmac('sha256', secret).update(signed).digest();

/** Makes a token; throws on a bad link, since the caller (the CLI) has the operator's input. */
export function signLink(link: Link, secrets: Record<string, string>, kid: string): string {
  const payload = {
    ad: link.adId,
    url: link.url,
    ...(link.campaignId ? { cmp: link.campaignId } : {}),
    ...(link.expiresAt ? { exp: Math.ceil(link.expiresAt / 1000) } : {}),
  };
  const checked = linkSchema.safeParse(payload);
  if (!checked.success)
    throw new Error(`cannot sign: ${checked.error.issues.map((i) => i.path.join('.')).join(', ')} invalid`);
  const secret = secrets[kid];
  if (secret === undefined) throw new Error(`no link secret with key id ${kid}`);
  const body = `${kid}.${b64(JSON.stringify(payload))}`;
  return `${body}.${b64(mac(secret, body))}`;
}

export function verifyLink(token: string, secrets: Record<string, string>): VerifyOutcome {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false, error: 'bad token length' };
  const parts = token.split('.');
  const [kid, payload, sig] = parts;
  if (parts.length !== 3 || !kid || !payload || !sig) return { ok: false, error: 'not a signed token' };
  const secret = Object.hasOwn(secrets, kid) ? secrets[kid] : undefined;
  if (secret === undefined) return { ok: false, error: 'unknown key id' };
  const expected = mac(secret, `${kid}.${payload}`);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || b64(given) !== sig) {
    return { ok: false, error: 'bad signature' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'bad payload' };
  }
  const parsed = linkSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: 'bad payload' };
  const { ad, url, cmp, exp } = parsed.data;
  return {
    ok: true,
    link: {
      adId: ad,
      url: new URL(url).href,
      campaignId: cmp ?? null,
      expiresAt: exp === undefined ? null : exp * 1000,
    },
  };
}
