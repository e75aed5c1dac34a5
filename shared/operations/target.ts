/**
 * What an operation changes, named the way a ticket's reader checks it: the project or organization id and
 * the entries, peer, namespace or user. Each type's `target` builds its line from these.
 */
import type { AccessListEntryLike } from '../access-list/canonical-entry.ts';

/** The entries as they were asked for: an address, a CIDR block or a security group each. */
export function entriesText(entries: readonly AccessListEntryLike[]): string {
  return entries
    .map((entry) => entry.cidrBlock ?? entry.ipAddress ?? entry.awsSecurityGroup ?? '(an entry)')
    .join(', ');
}

/** `project <id>` and what follows. */
export function inProject(groupId: string, what: string): string {
  return `project ${groupId}: ${what}`;
}

/** `organization <id>` and what follows. */
export function inOrganization(orgId: string, what: string): string {
  return `organization ${orgId}: ${what}`;
}
