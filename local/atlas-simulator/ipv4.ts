/** IPv4 ranges: which address an access-list entry covers, and which CIDR blocks overlap or are private. */
import { isIP } from 'node:net';

export interface Ipv4Range {
  first: number;
  last: number;
}

const toNumber = (address: string) => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

/** The range of an IPv4 CIDR block (`/` or `%2F`), or undefined for anything else. */
export function ipv4Range(cidr: string): Ipv4Range | undefined {
  const [address = '', maskText = ''] = cidr.replace(/%2f/i, '/').split('/');
  if (isIP(address) !== 4 || !/^\d{1,2}$/.test(maskText) || Number(maskText) > 32) return undefined;
  const size = 2 ** (32 - Number(maskText));
  const first = Math.floor(toNumber(address) / size) * size;
  return { first, last: first + size - 1 };
}

/** True when `ip` is the entry's address, or inside its IPv4 CIDR block. */
export function addressMatches(
  ip: string,
  ipAddress: string | undefined,
  cidrBlock: string | undefined,
): boolean {
  if (ipAddress !== undefined) return ipAddress.toLowerCase() === ip.toLowerCase();
  const range = cidrBlock === undefined || isIP(ip) !== 4 ? undefined : ipv4Range(cidrBlock);
  return range !== undefined && toNumber(ip) >= range.first && toNumber(ip) <= range.last;
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (c) => ipv4Range(c) as Ipv4Range,
);

/** True for a range inside RFC 1918 private space. */
export function isPrivate(range: Ipv4Range): boolean {
  return PRIVATE_RANGES.some((p) => range.first >= p.first && range.last <= p.last);
}
