/**
 * The parsers of the environment's structured values (lists, pairs, ranges): each turns one
 * variable into what config-schema.ts checks, or throws a ConfigError naming the variable.
 */
import { isIP } from 'node:net';
import { ConfigError, stateSecret } from './config-errors.ts';
import { assertUsableSecret } from './secrets.ts';

export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Link-signing secrets as "kid1:secret1,kid2:secret2" (the first one signs, all of them verify),
 * given by the operator; otherwise one key, `k1`, generated into the state folder at first start.
 */
export function linkSecrets(value: string | undefined, stackDir: string): Record<string, string> {
  if (value === undefined || value.trim() === '') return { k1: stateSecret(stackDir, 'link_secret') };
  const pairs = list(value).map((p) => {
    const at = p.indexOf(':');
    if (at <= 0) throw new ConfigError(`TOLLBOOTH_LINK_SECRETS: "${p.slice(0, 8)}…" is not kid:secret`);
    const secret = p.slice(at + 1);
    try {
      assertUsableSecret(`TOLLBOOTH_LINK_SECRETS (${p.slice(0, at)})`, secret);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
    return [p.slice(0, at), secret] as const;
  });
  return Object.fromEntries(pairs);
}

/**
 * Known NAT ranges as "CIDR=limit,CIDR=limit" (e.g. "100.64.0.0/10=600"): their addresses
 * stand for many people, so an anonymous address there may have `limit` accepted clicks a minute.
 */
export function natRanges(value: string | undefined): { cidr: string; perAddress: string }[] {
  return list(value).map((p) => {
    const [cidr = '', limit = ''] = p.split('=');
    const [net = '', bits = ''] = cidr.split('/');
    const family = isIP(net);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || !/^\d+$/.test(bits) || Number(bits) > max || !/^\d+$/.test(limit))
      throw new ConfigError(`TOLLBOOTH_ANON_NAT_RANGES: "${p}" is not CIDR=limit`);
    return { cidr, perAddress: limit };
  });
}

/**
 * A list of "host:port" (e.g. TOLLBOOTH_KAFKA_BROKERS="kafka-1:9092,kafka-2:9092"): the nodes of
 * one role in a cluster. Unset or empty: the one node at `fallback`.
 */
export function addressList(name: string, value: string | undefined, fallback: string): string[] {
  const entries = list(value);
  if (entries.length === 0) return [fallback];
  for (const entry of entries) {
    const m = /^([^\s:,]+):(\d+)$/.exec(entry);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65535) throw new ConfigError(`TOLLBOOTH_${name}: "${entry}" is not host:port`);
  }
  return entries;
}
