/**
 * Access-list entries compared the way Atlas compares them: by the network they admit, not by how they were
 * written. `10.8.0.0/16` and `10.8.1.0/16` are one block; `203.0.113.7` and `203.0.113.7/32` are one entry;
 * `2001:DB8:0:0::1` and `2001:db8::1` are one address. The provisioning operations and the access-list sync
 * both use it, so a formatting difference is never a missing or an extra entry.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An entry as asked for or as Atlas lists it (Atlas lists an address entry with its `/32` block as well). */
export interface AccessListEntryLike {
  ipAddress?: string | null | undefined;
  cidrBlock?: string | null | undefined;
  awsSecurityGroup?: string | null | undefined;
}

/**
 * The network an entry admits, as one comparable string: `ipv4/mask` or `ipv6/mask` with the host bits
 * cleared and IPv6 compressed (RFC 5952), an address as its one-address block (`/32`, `/128`), a security
 * group as `sg-…` (an `<account>/` prefix, the spec's other spelling, left out). `undefined` for an entry
 * with none of the three; text that is no address is compared as written, lower-cased.
 *
 * @example canonicalEntryKey({ ipAddress: '203.0.113.7' }) // '203.0.113.7/32'
 * @example canonicalEntryKey({ cidrBlock: '2001:DB8:0:0::1/64' }) // '2001:db8::/64'
 */
export function canonicalEntryKey(entry: AccessListEntryLike): string | undefined {
  if (entry.cidrBlock) return canonicalBlock(entry.cidrBlock);
  if (entry.ipAddress) return canonicalBlock(entry.ipAddress);
  if (entry.awsSecurityGroup) return entry.awsSecurityGroup.toLowerCase().replace(/^\d*\//, '');
  return undefined;
}

/** `address` or `address/mask` as its network block; text that is neither is returned lower-cased. */
export function canonicalBlock(value: string): string {
  const [address = '', mask, ...rest] = value.trim().split('/');
  if (rest.length > 0) return value.toLowerCase();
  if (isIPv4(address)) {
    const bits = maskBits(mask, 32);
    if (bits === undefined) return value.toLowerCase();
    const octets = address.split('.').map(Number);
    const network = octets.map((octet, i) => octet & byteMask(bits - i * 8));
    return `${network.join('.')}/${bits}`;
  }
  if (isIPv6(address)) {
    const bits = maskBits(mask, 128);
    const groups = expandIPv6(address);
    if (bits === undefined || groups === undefined) return value.toLowerCase();
    const network = groups.map((group, i) => group & wordMask(bits - i * 16));
    return `${compressIPv6(network)}/${bits}`;
  }
  return value.toLowerCase();
}

function maskBits(mask: string | undefined, max: number): number | undefined {
  if (mask === undefined) return max;
  if (!/^\d{1,3}$/.test(mask) || Number(mask) > max) return undefined;
  return Number(mask);
}

/** The mask of one 8-bit octet that keeps `bits` of its leading bits (clamped to 0–8). */
function byteMask(bits: number): number {
  const kept = Math.max(0, Math.min(8, bits));
  return (0xff << (8 - kept)) & 0xff;
}

/** The mask of one 16-bit group that keeps `bits` of its leading bits (clamped to 0–16). */
function wordMask(bits: number): number {
  const kept = Math.max(0, Math.min(16, bits));
  return (0xffff << (16 - kept)) & 0xffff;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included). */
export function expandIPv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  return groups.map((group) => Number.parseInt(group, 16));
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (two or more) of zero groups as `::`. */
function compressIPv6(groups: number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < groups.length && groups[end] === 0) end += 1;
    if (end - i > best.length) best = { start: i, length: end - i };
    i = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.length < 2) return hex.join(':');
  const left = hex.slice(0, best.start).join(':');
  const right = hex.slice(best.start + best.length).join(':');
  return `${left}::${right}`;
}
