/**
 * What temporary access is in force: every end a grant has scheduled and that has not come yet — a temporary
 * database user (its `databaseUser.delete`) or a temporary project role (its `projectRole.revoke`) — with who
 * asked, who approved and when it ends. `atlas-ops access list` prints it.
 */
import type { PendingEnd, Requester } from './ports.ts';

export interface AccessInForce {
  kind: 'database user' | 'project role';
  projectId: string;
  /** The database user, or the MongoDB Cloud user holding the role. */
  username: string;
  /** The role granted (project roles); the database user's roles and clusters when Atlas was read. */
  what: string;
  endsAt: string;
  requestedBy?: Requester;
  approvedBy?: string;
  /** The schedule that ends it. */
  schedule: string;
}

/** The access the pending ends stand for, soonest end first; `projectId` keeps one project's. */
export function accessInForce(pending: readonly PendingEnd[], projectId?: string): AccessInForce[] {
  return pending
    .flatMap((end): AccessInForce[] => {
      const params = (end.message.params ?? {}) as Record<string, unknown>;
      const common = {
        projectId: String(params.groupId ?? ''),
        username: String(params.username ?? ''),
        endsAt: end.at.toISOString(),
        ...(end.message.requestedBy ? { requestedBy: end.message.requestedBy } : {}),
        ...(end.message.approvedBy ? { approvedBy: end.message.approvedBy } : {}),
        schedule: end.name,
      };
      if (end.message.type === 'databaseUser.delete') {
        return [
          {
            kind: 'database user',
            what: `database user (${String(params.databaseName ?? 'admin')})`,
            ...common,
          },
        ];
      }
      if (end.message.type === 'projectRole.revoke') {
        const added = params.removeUser ? ' (added to the project for it)' : '';
        return [{ kind: 'project role', what: `${String(params.role ?? '')}${added}`, ...common }];
      }
      return [];
    })
    .filter((access) => projectId === undefined || access.projectId === projectId);
}

/** `jira OPS-7001 (jane@example.com)`. */
export function requesterText(requester: Requester | undefined): string {
  if (!requester) return '-';
  return [requester.source, requester.ref, requester.actor ? `(${requester.actor})` : undefined]
    .filter(Boolean)
    .join(' ');
}
