/**
 * `cluster.takeSnapshot`: an on-demand snapshot of a dedicated cluster's cloud backup. Atlas answers 200 and
 * makes a second snapshot for a repeat (the spec has no 409), so the run looks first: a snapshot whose
 * description carries this operation's id is the one it took.
 */
import { listBackupSnapshots, takeSnapshot } from '../../atlas/resources/cloud-backups.ts';
import { clusterName, objectId } from '../../atlas/validation.ts';
import * as z from '../../config/zod.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { requireService } from '../temporary-access.ts';
import { defineOperationType } from '../types.ts';

const TYPE = 'cluster.takeSnapshot';

const params = z.strictObject({
  groupId: objectId,
  clusterName,
  description: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200)),
  retentionInDays: z._default(
    z.int('must be a whole number of days').check(z.minimum(1, 'must be at least 1'), z.maximum(3650)),
    7,
  ),
});

export type TakeSnapshotParams = z.infer<typeof params>;

/** The description Atlas keeps: the request's, marked with the operation, which is how a repeat finds it. */
const describedAs = (description: string, operationId: string) => `${description} [atlas-ops ${operationId}]`;

export const clusterTakeSnapshot = defineOperationType<TakeSnapshotParams>({
  type: TYPE,
  summary: 'take an on-demand snapshot of a cluster’s cloud backup (once, however often it is delivered)',
  risk: 'additive',
  target: (p) =>
    inProject(p.groupId, `cluster ${p.clusterName} (snapshot "${p.description}", ${p.retentionInDays} days)`),
  params,
  idempotency:
    'Atlas takes a second snapshot for a repeat, so the run first lists the snapshots: one whose description ' +
    'names this operation is the one it took, and it is returned instead.',
  plan: (p) => [
    planRequest(listBackupSnapshots, p, { list: true }),
    planRequest(takeSnapshot, { ...p, description: describedAs(p.description, '{operation id}') }),
  ],
  execute: async (p, context) => {
    const operationId = requireService(context.operation, 'the operation id', TYPE).id;
    const description = describedAs(p.description, operationId);
    for await (const snapshot of context.atlas.cloudBackups.snapshots(p, context.callOptions)) {
      if (snapshot.description === description) return { snapshot, alreadyTaken: true };
    }
    const snapshot = await context.atlas.cloudBackups.takeSnapshot(
      { groupId: p.groupId, clusterName: p.clusterName, description, retentionInDays: p.retentionInDays },
      context.callOptions,
    );
    return { snapshot };
  },
});
