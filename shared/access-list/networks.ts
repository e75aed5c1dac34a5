/**
 * Whether two access-list entries share any address: what the `protect` and static-egress guards ask of an
 * entry the sync would remove, and what a delete operation asks of the stack's protected addresses. Removing
 * `10.0.0.0/8` cuts off `10.1.2.3` as surely as removing `10.1.2.3` itself, so an entry is protected when its
 * network and a protected one overlap, not only when they are equal.
 *
 * An IPv4-mapped IPv6 address or block (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2) compares as the IPv4 it is:
 * `::ffff:203.0.113.10` is `203.0.113.10`. The Atlas reference we work from (the Admin API spec's
 * `NetworkPermissionEntry` and `ServiceAccountIPAccessListEntry` patterns) accepts the IPv6 spellings of
 * such an address but says nothing of how Atlas lists one or which connections it admits, so we never rely
 * on Atlas to tell the two apart: whichever way an entry is written, its IPv4 part is judged as IPv4.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { canonicalBlock, canonicalEntryKey, expandIPv6 } from './canonical-entry.ts';

/** A network in canonical form, or a security group (compared by id). */
export interface Network {
  /** The canonical key (`10.0.0.0/8`, `2001:db8::/32`, `sg-…`). */
  key: string;
  block?: { address: string; bits: number; family: 'ipv4' | 'ipv6' };
}

/** The network of an address, CIDR block or security group as written in `protect`. */
export function networkOf(value: string): Network {
  const trimmed = value.trim();
  const isGroup = /(^|\/)sg-/.test(trimmed);
  return networkOfKey(isGroup ? keyOfGroup(trimmed) : canonicalBlock(trimmed));
}

/** The network of a canonical key (`canonicalEntryKey`'s output). */
export function networkOfKey(key: string): Network {
  const [address = '', mask] = key.split('/');
  const bits = Number(mask);
  if (mask !== undefined && Number.isInteger(bits)) {
    if (isIPv4(address)) return { key, block: { address, bits, family: 'ipv4' } };
    if (isIPv6(address)) return { key, block: { address, bits, family: 'ipv6' } };
  }
  return { key };
}

function keyOfGroup(value: string): string {
  return canonicalEntryKey({ awsSecurityGroup: value }) ?? value.toLowerCase();
}

/** True when the two networks share an address (one contains the other), or are the same security group. */
export function overlaps(a: Network, b: Network): boolean {
  if (!a.block || !b.block) return a.key === b.key;
  return rangesOverlap(addressRanges(a.key), addressRanges(b.key));
}

/**
 * The addresses one network admits, in one family, first to last (both included). `prefix` is the block's
 * length in that family (`8` for `10.0.0.0/8`; `8` too for `::ffff:10.0.0.0/104`, which is that IPv4 block).
 */
export interface AddressRange {
  family: 'ipv4' | 'ipv6';
  first: bigint;
  last: bigint;
  prefix: number;
  /** True for the IPv4 part of an IPv6 block (`::ffff:…`). */
  mapped: boolean;
}

/** `::ffff:0:0/96`: where IPv6 writes IPv4 addresses. */
const MAPPED_FIRST = 0xffffn << 32n;
const MAPPED_LAST = MAPPED_FIRST + (1n << 32n) - 1n;

/**
 * The ranges an address or CIDR block admits: one for an IPv4 block; for an IPv6 block, its IPv4-mapped part
 * as IPv4 (a block inside `::ffff:0:0/96` is nothing but IPv4; a wider one, such as `::/0`, admits every IPv4
 * address as well as its IPv6 ones). None for a security group or text that is no address.
 *
 * @example addressRanges('::ffff:10.0.0.0/104') // [{ family: 'ipv4', prefix: 8, mapped: true, … }]
 */
export function addressRanges(value: string): AddressRange[] {
  const [address = '', mask, ...rest] = value.trim().split('/');
  if (rest.length > 0) return [];
  if (isIPv4(address)) {
    const bits = prefixOf(mask, 32);
    if (bits === undefined) return [];
    const octets = address.split('.').map((octet) => BigInt(octet));
    const number = octets.reduce((n, octet) => (n << 8n) | octet, 0n);
    return [block('ipv4', number, bits, 32, false)];
  }
  if (isIPv6(address)) {
    const bits = prefixOf(mask, 128);
    const groups = expandIPv6(address);
    if (bits === undefined || groups === undefined) return [];
    const number = groups.reduce((n, group) => (n << 16n) | BigInt(group), 0n);
    const range = block('ipv6', number, bits, 128, false);
    if (range.first >= MAPPED_FIRST && range.last <= MAPPED_LAST) {
      return [block('ipv4', range.first - MAPPED_FIRST, bits - 96, 32, true)];
    }
    if (range.first <= MAPPED_FIRST && range.last >= MAPPED_LAST) {
      return [
        range,
        { family: 'ipv4', first: 0n, last: MAPPED_LAST - MAPPED_FIRST, prefix: 0, mapped: true },
      ];
    }
    return [range];
  }
  return [];
}

function prefixOf(mask: string | undefined, max: number): number | undefined {
  if (mask === undefined) return max;
  if (!/^\d{1,3}$/.test(mask) || Number(mask) > max) return undefined;
  return Number(mask);
}

function block(
  family: AddressRange['family'],
  address: bigint,
  prefix: number,
  width: number,
  mapped: boolean,
): AddressRange {
  const size = 1n << BigInt(width - prefix);
  const first = (address / size) * size;
  return { family, first, last: first + size - 1n, prefix, mapped };
}

/** True when some range of `a` and some range of `b`, of one family, share an address. */
export function rangesOverlap(a: readonly AddressRange[], b: readonly AddressRange[]): boolean {
  return a.some((x) => b.some((y) => x.family === y.family && x.first <= y.last && y.first <= x.last));
}

/**
 * The first of `protectedValues` (addresses or CIDR blocks) that the entry `value` admits or overlaps, as
 * written; undefined when the entry touches none of them. IPv4-mapped IPv6 compares as IPv4 on either side.
 *
 * @example protectingAddress('203.0.113.0/24', ['203.0.113.10']) // '203.0.113.10'
 */
export function protectingAddress(value: string, protectedValues: readonly string[]): string | undefined {
  const ranges = addressRanges(value);
  if (ranges.length === 0) return undefined;
  return protectedValues.find((candidate) => rangesOverlap(ranges, addressRanges(candidate)));
}
