/**
 * What an operation changes: the project or the organization it changes (what a policy rule matches on), and
 * the entries, peer, namespace or user, named the way a ticket's reader checks them. Each type's `target`
 * builds one with `inProject` or `inOrganization`; `targetText` says it in one line.
 */
import type { AccessListEntryLike } from '../access-list/canonical-entry.ts';

/** The entries as they were asked for: an address, a CIDR block or a security group each. */
export function entriesText(entries: readonly AccessListEntryLike[]): string {
  return entries
    .map((entry) => entry.cidrBlock ?? entry.ipAddress ?? entry.awsSecurityGroup ?? '(an entry)')
    .join(', ');
}

/** What one run changes, and where. */
export type OperationTarget =
  | { readonly projectId: string; readonly orgId?: undefined; readonly what: string }
  | { readonly orgId: string; readonly projectId?: undefined; readonly what: string };

/** `what`, in project `groupId`. */
export function inProject(groupId: string, what: string): OperationTarget {
  return { projectId: groupId, what };
}

/** `what`, in organization `orgId`. */
export function inOrganization(orgId: string, what: string): OperationTarget {
  return { orgId, what };
}

/** `project <id>: <what>` or `organization <id>: <what>`, as the ticket comment and the outcome say it. */
export function targetText(target: OperationTarget): string {
  return target.projectId !== undefined
    ? `project ${target.projectId}: ${target.what}`
    : `organization ${target.orgId}: ${target.what}`;
}
