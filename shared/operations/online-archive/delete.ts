/** `onlineArchive.delete`: removes an online archive of a cluster (its archived data goes with it). */
import { deleteOnlineArchive, type OnlineArchiveParams } from '../../atlas/resources/online-archives.ts';
import { deleteIfPresent } from '../delete-outcome.ts';
import { strictParams } from '../params.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { defineOperationType } from '../types.ts';

export const onlineArchiveDelete = defineOperationType<OnlineArchiveParams>({
  type: 'onlineArchive.delete',
  summary: 'remove an online archive of a cluster',
  risk: 'destructive',
  target: (params) =>
    inProject(params.groupId, `online archive ${params.archiveId} of cluster ${params.clusterName}`),
  params: strictParams(deleteOnlineArchive.params),
  idempotency:
    'A 404 means the archive is already gone, the state the delete asks for, so a repeat succeeds.',
  plan: (params) => [planRequest(deleteOnlineArchive, params)],
  execute: (params, { atlas, callOptions }) =>
    deleteIfPresent(() => atlas.onlineArchives.delete(params, callOptions)),
});
