/** `tollbooth links sign --ad <ad_id> --url <landing url> [--campaign <id>] [--base <url>]`: prints a signed click link. */
import { parseArgs } from 'node:util';
import type { Config } from '../../shared/config.ts';
import { isSafeLandingUrl, signLink } from '../../ingest/link-token.ts';

const USAGE = 'usage: tollbooth links sign --ad <ad_id> --url <landing url> [--campaign <campaign_id>] [--base <ingest base url>]';

export async function run(args: string[], config: Config): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'sign') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let values: { ad?: string; url?: string; campaign?: string; base?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ad: { type: 'string' }, url: { type: 'string' }, campaign: { type: 'string' }, base: { type: 'string' } },
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (!values.ad || !values.url) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!isSafeLandingUrl(values.url)) {
    process.stderr.write('the landing URL must be an absolute http(s) URL without spaces or control characters\n');
    return 2;
  }
  const base = (values.base ?? `http://${config.host}:${config.ingest.port}`).replace(/\/+$/, '');
  try {
    const token = signLink({ adId: values.ad, url: values.url, campaignId: values.campaign ?? null }, config.ingest.linkSecrets, config.ingest.linkKeyId);
    process.stdout.write(`${base}/c/${token}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
