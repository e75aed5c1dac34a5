/**
 * `cluster.pause` and `cluster.resume`: a dedicated cluster paused (it stops, its data stays; Atlas resumes it
 * after 30 days) or resumed. A cluster already in the asked state is success with no PATCH; one that is not
 * IDLE (being changed) is retried later; a shared or flex tier cannot pause (FAILED, saying so).
 */
import { getCluster, setClusterPaused } from '../../atlas/resources/clusters.ts';
import { clusterName, objectId } from '../../atlas/validation.ts';
import * as z from '../../config/zod.ts';
import { PermanentOperationError, TransientOperationError } from '../errors.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import type { OperationRisk } from '../types.ts';
import { defineOperationType } from '../types.ts';

const params = z.strictObject({ groupId: objectId, clusterName });

export type ClusterParams = z.infer<typeof params>;

/** Tiers that run on shared hardware: Atlas pauses only dedicated clusters (M10 and up). */
const SHARED_TIERS = new Set(['M0', 'M2', 'M5', 'FLEX']);

function pausing(paused: boolean, risk: OperationRisk) {
  const type = paused ? 'cluster.pause' : 'cluster.resume';
  const verb = paused ? 'pause' : 'resume';
  return defineOperationType<ClusterParams>({
    type,
    summary: paused
      ? 'pause a dedicated cluster (Atlas resumes it after 30 days)'
      : 'resume a paused cluster',
    risk,
    target: (p) => inProject(p.groupId, `cluster ${p.clusterName}`),
    params,
    idempotency: `A cluster already ${paused ? 'paused' : 'running'} is the state asked for: a repeat sends no PATCH.`,
    plan: (p) => [planRequest(getCluster, p), planRequest(setClusterPaused, { ...p, paused })],
    execute: async (p, { atlas, callOptions }) => {
      const cluster = await atlas.clusters.get(p, callOptions);
      if (Boolean(cluster.paused) === paused) {
        return { clusterName: p.clusterName, paused, alreadyInState: true };
      }
      const tier = cluster.replicationSpecs?.[0]?.regionConfigs?.[0]?.electableSpecs?.instanceSize;
      const tenant = cluster.replicationSpecs?.some((spec) =>
        spec.regionConfigs?.some((region) => region.providerName === 'TENANT'),
      );
      if (tenant || (tier && SHARED_TIERS.has(tier))) {
        throw new PermanentOperationError({
          errorCode: 'CANNOT_PAUSE_SHARED_TIER',
          detail: `cluster ${p.clusterName} is ${tier ?? 'a shared tier'}: Atlas can ${verb} only dedicated clusters (M10 and up)`,
        });
      }
      if (cluster.stateName && cluster.stateName !== 'IDLE') {
        throw new TransientOperationError(
          `cluster ${p.clusterName} is ${cluster.stateName}, not IDLE: it can be ${paused ? 'paused' : 'resumed'} once Atlas has finished changing it`,
          { cause: undefined },
        );
      }
      const updated = await atlas.clusters.setPaused({ ...p, paused }, callOptions);
      return { clusterName: p.clusterName, paused: updated.paused ?? paused, stateName: updated.stateName };
    },
  });
}

export const clusterPause = pausing(true, 'destructive');
export const clusterResume = pausing(false, 'additive');
