/** Every operation type of the provisioning queue, by its `type`. Adding a type: one module, one line here. */
import { clusterPause, clusterResume } from './cluster/pause.ts';
import { clusterTakeSnapshot } from './cluster/take-snapshot.ts';
import { databaseUserCreateTemporary } from './database-user/create-temporary.ts';
import { databaseUserDelete } from './database-user/delete.ts';
import { databaseUserExtend } from './database-user/extend.ts';
import { globalClusterAddCustomZoneMappings } from './global-cluster/add-custom-zone-mappings.ts';
import { globalClusterAddManagedNamespace } from './global-cluster/add-managed-namespace.ts';
import { globalClusterRemoveAllCustomZoneMappings } from './global-cluster/remove-all-custom-zone-mappings.ts';
import { globalClusterRemoveManagedNamespace } from './global-cluster/remove-managed-namespace.ts';
import { networkPeeringCreate } from './network-peering/create.ts';
import { networkPeeringDelete } from './network-peering/delete.ts';
import { onlineArchiveDelete } from './online-archive/delete.ts';
import { orgInvitationCancel } from './org-invitation/cancel.ts';
import { projectAccessListAdd } from './project-access-list/add.ts';
import { projectAccessListDelete } from './project-access-list/delete.ts';
import { projectRoleGrantTemporary } from './project-role/grant-temporary.ts';
import { projectRoleRevoke } from './project-role/revoke.ts';
import { projectUserGet } from './project-user/get.ts';
import { serviceAccountAccessListAdd } from './service-account-access-list/add.ts';
import { serviceAccountAccessListDelete } from './service-account-access-list/delete.ts';
import type { OperationDefinition } from './types.ts';

const definitions: OperationDefinition[] = [
  networkPeeringCreate,
  networkPeeringDelete,
  projectAccessListAdd,
  projectAccessListDelete,
  serviceAccountAccessListAdd,
  serviceAccountAccessListDelete,
  onlineArchiveDelete,
  orgInvitationCancel,
  projectUserGet,
  globalClusterAddManagedNamespace,
  globalClusterRemoveManagedNamespace,
  globalClusterAddCustomZoneMappings,
  globalClusterRemoveAllCustomZoneMappings,
  databaseUserCreateTemporary,
  databaseUserExtend,
  databaseUserDelete,
  projectRoleGrantTemporary,
  projectRoleRevoke,
  clusterPause,
  clusterResume,
  clusterTakeSnapshot,
];

/** Every operation type, keyed by `type`, in the order `atlas-ops help` lists them. */
export const OPERATION_TYPES: ReadonlyMap<string, OperationDefinition> = new Map(
  definitions.map((definition) => [definition.type, definition]),
);

/** The definition of an operation type, or `undefined` when there is no such type. */
export function operationType(type: string): OperationDefinition | undefined {
  return OPERATION_TYPES.get(type);
}
