/** `globalCluster.removeManagedNamespace`: stops managing one namespace of a Global Cluster. */
import {
  type GeoSharding,
  type GlobalClusterParams,
  getGlobalWrites,
  removeManagedNamespace,
} from '../../atlas/resources/global-clusters.ts';
import { isNotFound } from '../delete-outcome.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

type RemoveManagedNamespaceParams = GlobalClusterParams & { db: string; collection: string };

export const globalClusterRemoveManagedNamespace = defineOperationType<RemoveManagedNamespaceParams>({
  type: 'globalCluster.removeManagedNamespace',
  summary: 'stop managing one namespace (db and collection) of a Global Cluster',
  risk: 'destructive',
  target: (params) =>
    inProject(
      params.groupId,
      `Global Cluster ${params.clusterName}, namespace ${params.db}.${params.collection}`,
    ),
  params: strictParams(removeManagedNamespace.params),
  idempotency:
    'Reads the Global Cluster first: a namespace that is not managed is success without a DELETE, and a 404 on ' +
    'the DELETE means it went meanwhile, so a repeat has no second effect.',
  plan: (params) => [
    planRequest(getGlobalWrites, { groupId: params.groupId, clusterName: params.clusterName }),
    planRequest(removeManagedNamespace, params),
  ],
  async execute(params, { atlas, callOptions }): Promise<GeoSharding> {
    const { groupId, clusterName, db, collection } = params;
    const current = await atlas.globalClusters.get({ groupId, clusterName }, callOptions);
    const isThis = (ns: { db: string; collection: string }) => ns.db === db && ns.collection === collection;
    if (!current.managedNamespaces?.some(isThis)) return current;
    try {
      return await atlas.globalClusters.removeManagedNamespace(params, callOptions);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      return { ...current, managedNamespaces: current.managedNamespaces.filter((ns) => !isThis(ns)) };
    }
  },
});
