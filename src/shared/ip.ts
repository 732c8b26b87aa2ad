/**
 * One spelling per address, so that a blocklist or a limit cannot be passed by writing an ip
 * another way: an IPv4-mapped IPv6 address (`::ffff:203.0.113.77`, `::ffff:cb00:714d`) is its
 * IPv4 address, and any other IPv6 address is lower-case and compressed (RFC 5952), without a
 * zone (`%eth0`), which names a local interface and says nothing about the sender.
 */
import { isIP } from 'node:net';

const MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/** The normalized address; a string that is not an IP address comes back unchanged. */
export function normalizeIp(ip: string): string {
  const family = isIP(ip);
  if (family !== 6) return ip;
  // The WHATWG URL host parser serializes IPv6 as RFC 5952 does, and mapped addresses in hex.
  let host: string;
  try {
    host = new URL(`http://[${ip.split('%')[0] ?? ''}]/`).hostname.slice(1, -1);
  } catch {
    return ip; // isIP took it and the URL parser did not: leave it as given
  }
  const mapped = MAPPED.exec(host);
  if (mapped === null) return host;
  const hi = parseInt(mapped[1] ?? '0', 16);
  const lo = parseInt(mapped[2] ?? '0', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}
