/**
 * `tollbooth links sign --ad <ad_id> --url <landing url> [--campaign <id>] [--expires 30d] [--base <url>]`:
 * prints a signed click link. An expired link still redirects; its clicks are invalid.
 */
import type { Config } from '../../shared/config.ts';
import { isSafeLandingUrl, signLink } from '../../ingest/link-token.ts';
import { option, refuse, type Invocation } from '../args.ts';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30d", "12h", "90m", "3600s" in ms, or null. */
export function parseDuration(s: string): number | null {
  const m = /^(\d{1,6})([smhd])$/.exec(s.trim());
  return m?.[1] && m[2] && Number(m[1]) > 0 ? Number(m[1]) * (UNIT_MS[m[2]] ?? 0) : null;
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

export async function run(inv: Invocation, config: Config, now = Date.now()): Promise<number> {
  const values = {
    ad: option(inv, 'ad') ?? '',
    url: option(inv, 'url') ?? '',
    campaign: option(inv, 'campaign'),
    base: option(inv, 'base'),
    expires: option(inv, 'expires'),
  };
  if (!values.ad) return refuse(inv.path, '--ad: an ad id, not empty');
  if (!isSafeLandingUrl(values.url))
    return refuse(inv.path, '--url: an absolute http(s) URL without spaces or control characters');
  const ttl = values.expires === undefined ? null : parseDuration(values.expires);
  if (values.expires !== undefined && ttl === null)
    return refuse(inv.path, `--expires: a duration such as 30d, 12h, 90m or 3600s, not "${values.expires}"`);
  const base = (values.base ?? `http://${config.host}:${config.ingest.port}`).replace(/\/+$/, '');
  try {
    const link = {
      adId: values.ad,
      url: values.url,
      campaignId: values.campaign ?? null,
      expiresAt: ttl === null ? null : now + ttl,
    };
    const token = signLink(link, config.ingest.linkSecrets, config.ingest.linkKeyId);
    process.stdout.write(`${base}/c/${token}\n`);
    return 0;
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
}
