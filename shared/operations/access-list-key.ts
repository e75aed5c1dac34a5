/** Compares access-list entries the way Atlas does: by the network they admit, not by how they were written. */
import { isIPv6 } from 'node:net';

/** An entry as asked for or as Atlas lists it (Atlas lists an address entry with its `/32` block as well). */
export interface AccessListEntryLike {
  ipAddress?: string | null | undefined;
  cidrBlock?: string | null | undefined;
  awsSecurityGroup?: string | null | undefined;
}

/**
 * The network an entry admits, as one comparable string: an address is its one-address block (`/32`, or
 * `/128` for IPv6), so `{ipAddress: 'a'}` and `{cidrBlock: 'a/32'}` are the same entry. `undefined` for an
 * entry with none of the three.
 */
export function accessListKey(entry: AccessListEntryLike): string | undefined {
  if (entry.cidrBlock) return entry.cidrBlock.toLowerCase();
  if (entry.ipAddress) return `${entry.ipAddress.toLowerCase()}/${isIPv6(entry.ipAddress) ? 128 : 32}`;
  return entry.awsSecurityGroup ?? undefined;
}
