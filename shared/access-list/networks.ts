/**
 * Whether two access-list entries share any address: what the `protect` and static-egress guards ask of an
 * entry the sync would remove. Removing `10.0.0.0/8` cuts off `10.1.2.3` as surely as removing `10.1.2.3`
 * itself, so an entry is protected when its network and a protected one overlap, not only when they are equal.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { canonicalBlock, canonicalEntryKey } from './canonical-entry.ts';

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
  if (a.block.family !== b.block.family) return false;
  // Two blocks overlap exactly when the wider one contains the narrower one's network address.
  const [wide, narrow] = a.block.bits <= b.block.bits ? [a.block, b.block] : [b.block, a.block];
  const list = new BlockList();
  list.addSubnet(wide.address, wide.bits, wide.family);
  return list.check(narrow.address, narrow.family);
}
