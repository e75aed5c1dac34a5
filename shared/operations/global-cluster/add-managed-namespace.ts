/**
 * `globalCluster.addManagedNamespace`. Atlas's POST is not safe to repeat (a repeat of a create that did
 * succeed fails and hides that it had), so the executor reads the configuration first.
 */
import {
  addManagedNamespace,
  type GeoSharding,
  type GlobalClusterParams,
  getGlobalWrites,
  type ManagedNamespace,
} from '../../atlas/resources/global-clusters.ts';
import { PermanentOperationError } from '../errors.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

type AddManagedNamespaceParams = GlobalClusterParams & { namespace: ManagedNamespace };

/** What makes two shard keys the same: the key, hashed or ranged, unique or not (chunk options only shape the start). */
function sameShardKey(a: ManagedNamespace, b: ManagedNamespace): boolean {
  return (
    a.customShardKey === b.customShardKey &&
    (a.isCustomShardKeyHashed ?? false) === (b.isCustomShardKeyHashed ?? false) &&
    (a.isShardKeyUnique ?? false) === (b.isShardKeyUnique ?? false)
  );
}

function describeKey(namespace: ManagedNamespace): string {
  const kind = [
    namespace.isCustomShardKeyHashed ? 'hashed' : 'ranged',
    namespace.isShardKeyUnique ? 'unique' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${namespace.customShardKey} (${kind})`;
}

export const globalClusterAddManagedNamespace = defineOperationType<AddManagedNamespaceParams>({
  type: 'globalCluster.addManagedNamespace',
  summary: 'shard a collection of a Global Cluster by location (add a managed namespace)',
  risk: 'additive',
  target: (params) =>
    inProject(
      params.groupId,
      `Global Cluster ${params.clusterName}, namespace ${params.namespace.db}.${params.namespace.collection} (shard key ${params.namespace.customShardKey})`,
    ),
  params: strictParams(addManagedNamespace.params),
  idempotency:
    'Reads the Global Cluster first: the namespace already managed with the same shard key is success ' +
    'without a POST; managed with a different key is a MANAGED_NAMESPACE_CONFLICT that no retry can fix.',
  plan: (params) => [
    planRequest(getGlobalWrites, { groupId: params.groupId, clusterName: params.clusterName }),
    planRequest(addManagedNamespace, params),
  ],
  async execute(params, { atlas, callOptions }): Promise<GeoSharding> {
    const { groupId, clusterName, namespace } = params;
    const current = await atlas.globalClusters.get({ groupId, clusterName }, callOptions);
    const managed = current.managedNamespaces?.find(
      (ns) => ns.db === namespace.db && ns.collection === namespace.collection,
    );
    if (managed === undefined) return atlas.globalClusters.addManagedNamespace(params, callOptions);
    if (sameShardKey(managed, namespace)) return current;
    throw new PermanentOperationError({
      errorCode: 'MANAGED_NAMESPACE_CONFLICT',
      detail:
        `${namespace.db}.${namespace.collection} is already managed with shard key ${describeKey(managed)}, ` +
        `not ${describeKey(namespace)}; a shard key cannot be changed this way`,
    });
  },
});
