/**
 * An anonymous caller's address limits: the address group it counts in (an IPv4 address, or an
 * IPv6 /64, which one subscriber usually holds whole) and how many clicks that group may have
 * accepted in one minute of receive time, raised for the operator's known NAT ranges.
 */
import { BlockList, isIPv6 } from 'node:net';

export interface AnonLimits {
  /** Accepted clicks per (address group, ad) per minute of receive time. */
  perAddressAd: number;
  /** Accepted clicks per address group per minute of receive time. */
  perAddress: number;
  /** Ranges (CIDR) with a raised per-address limit, first match wins. */
  natRanges: readonly { cidr: string; perAddress: number }[];
}

export interface AddressLimit {
  group: string;
  perAddressAd: number;
  perAddress: number;
}

/** The /64 of an IPv6 address (first four groups, expanded), or the IPv4 address as is. */
export function addressGroup(ip: string): string {
  if (!isIPv6(ip)) return ip;
  // An IPv4-mapped address is the IPv4 address: its /64 would hold every IPv4 client at once.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function rangeList(cidr: string): BlockList {
  const list = new BlockList();
  const [net = '', bits = ''] = cidr.split('/');
  list.addSubnet(net, Number(bits), isIPv6(net) ? 'ipv6' : 'ipv4');
  return list;
}

/** Resolves an address's group and limits; build once per config. */
export function anonLimiter(limits: AnonLimits): (ip: string) => AddressLimit {
  const ranges = limits.natRanges.map((r) => ({ list: rangeList(r.cidr), perAddress: r.perAddress }));
  return (ip) => {
    const family = isIPv6(ip) ? 'ipv6' : 'ipv4';
    const nat = ranges.find((r) => r.list.check(ip, family));
    if (nat === undefined)
      return { group: addressGroup(ip), perAddressAd: limits.perAddressAd, perAddress: limits.perAddress };
    // A NAT range shares one address among many people: the per-ad limit grows with it.
    const scale = nat.perAddress / limits.perAddress;
    return {
      group: addressGroup(ip),
      perAddress: nat.perAddress,
      perAddressAd: Math.max(limits.perAddressAd, Math.ceil(limits.perAddressAd * scale)),
    };
  };
}
