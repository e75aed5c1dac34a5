/**
 * Network safety of the operations that change an IP access list, whoever sends them (a ticket through the
 * webhook intake, a queue message, `atlas-ops enqueue`, `atlas-ops run`), checked before anything is sent:
 *
 * - an add whose entries admit the whole internet or most of it (shared/access-list/wide-networks.ts: wider
 *   than a /8 in IPv4 or a /16 in IPv6, alone or together) is refused, `WIDE_NETWORK_REFUSED`, unless the
 *   message says `allowWideNetworks: true`;
 * - a delete of an entry that admits one of the stack's protected addresses (its static egress addresses and
 *   the `protectedAddresses` floor: `PROTECTED_ADDRESSES` of the provisioner) is refused, `PROTECTED_ADDRESS`,
 *   whatever the message says. IPv4-mapped IPv6 compares as IPv4 in both.
 *
 * Each type that touches an access list says here which entries it adds and which it removes; a type that
 * touches none is not listed (test/unit/shared/operations/network-safety.test.ts checks that every
 * access-list type is).
 */
import { protectingAddress } from '../access-list/networks.ts';
import { wideNetworks } from '../access-list/wide-networks.ts';
import type { FieldProblem } from '../atlas/index.ts';
import type {
  AddProjectAccessListParams,
  ProjectAccessListEntryParams,
} from '../atlas/resources/project-access-list.ts';
import type {
  AddServiceAccountAccessListParams,
  DeleteServiceAccountAccessListParams,
} from '../atlas/resources/service-account-access-list.ts';
import { NetworkSafetyError } from './errors.ts';
import type { ParsedOperation } from './message.ts';

/** The `errorCode` of an add refused for a wide network. */
export const WIDE_NETWORK_REFUSED = 'WIDE_NETWORK_REFUSED';
/** The `errorCode` of a delete refused for a protected address. */
export const PROTECTED_ADDRESS = 'PROTECTED_ADDRESS';

/** What the checks need beyond the message. */
export interface NetworkSafetySettings {
  /** Addresses and CIDR blocks no delete may remove (the stack's static egress and its protected floor). */
  protectedAddresses?: readonly string[];
}

/** One entry an operation adds or removes: where it is in the message, and its address or block. */
export interface NetworkEntry {
  field: string;
  value: string;
}

/** The entries one operation adds and removes. */
export interface NetworkChange {
  adds: NetworkEntry[];
  removes: NetworkEntry[];
}

/** The address or block of each entry to add, by its path; security groups admit no address range. */
function added(entries: readonly { ipAddress?: string | null; cidrBlock?: string | null }[]): NetworkEntry[] {
  return entries.flatMap((entry, index) => {
    if (entry.cidrBlock) return [{ field: `params.entries.${index}.cidrBlock`, value: entry.cidrBlock }];
    if (entry.ipAddress) return [{ field: `params.entries.${index}.ipAddress`, value: entry.ipAddress }];
    return [];
  });
}

/** The access-list types, each with the entries it adds and removes (checked params). */
const NETWORK_CHANGES: Record<string, (params: never) => NetworkChange> = {
  'projectAccessList.add': (params: AddProjectAccessListParams) => ({
    adds: added(params.entries),
    removes: [],
  }),
  'projectAccessList.delete': (params: ProjectAccessListEntryParams) => ({
    adds: [],
    removes: [{ field: 'params.entryValue', value: params.entryValue }],
  }),
  'serviceAccountAccessList.add': (params: AddServiceAccountAccessListParams) => ({
    adds: added(params.entries),
    removes: [],
  }),
  'serviceAccountAccessList.delete': (params: DeleteServiceAccountAccessListParams) => ({
    adds: [],
    removes: [{ field: 'params.ipAddress', value: params.ipAddress }],
  }),
};

/** The types whose network changes are checked. */
export const NETWORK_CHANGING_TYPES: readonly string[] = Object.keys(NETWORK_CHANGES);

/** What `operation` adds to and removes from an access list; undefined for a type that touches none. */
export function networkChangeOf(
  operation: Pick<ParsedOperation, 'type' | 'params'>,
): NetworkChange | undefined {
  const change = NETWORK_CHANGES[operation.type] as ((params: unknown) => NetworkChange) | undefined;
  return change?.(operation.params);
}

/** The wide entries an operation would add, one problem each (or one for entries wide together). */
export function wideNetworkProblems(operation: Pick<ParsedOperation, 'type' | 'params'>): FieldProblem[] {
  const adds = networkChangeOf(operation)?.adds ?? [];
  return wideNetworks(adds.map((entry) => entry.value)).map((wide) => ({
    field: wide.indexes.map((index) => adds[index]?.field).join(', '),
    description: wide.reason,
  }));
}

/** The protected addresses an operation would remove, one problem per entry. */
export function protectedAddressProblems(
  operation: Pick<ParsedOperation, 'type' | 'params'>,
  protectedAddresses: readonly string[],
): FieldProblem[] {
  return (networkChangeOf(operation)?.removes ?? []).flatMap((entry) => {
    const protectedBy = protectingAddress(entry.value, protectedAddresses);
    if (protectedBy === undefined) return [];
    const what = protectedBy === entry.value ? 'is' : `admits ${protectedBy}, which is`;
    return [{ field: entry.field, description: `${entry.value} ${what} a protected address of this stack` }];
  });
}

/**
 * Refuses `operation` when it adds a wide network without `allowWideNetworks`, or removes a protected
 * address: throws `NetworkSafetyError` (a `PermanentOperationError`: FAILED, never retried), naming each entry.
 */
export function checkNetworkSafety(
  operation: Pick<ParsedOperation, 'type' | 'params' | 'allowWideNetworks'>,
  settings: NetworkSafetySettings = {},
): void {
  const removed = protectedAddressProblems(operation, settings.protectedAddresses ?? []);
  if (removed.length > 0) {
    throw new NetworkSafetyError(
      PROTECTED_ADDRESS,
      removed,
      'no operation removes it (the stack protects its static egress addresses and protectedAddresses)',
    );
  }
  if (operation.allowWideNetworks) return;
  const wide = wideNetworkProblems(operation);
  if (wide.length > 0) {
    throw new NetworkSafetyError(
      WIDE_NETWORK_REFUSED,
      wide,
      'an entry that wide is added only by a message with "allowWideNetworks": true',
    );
  }
}
