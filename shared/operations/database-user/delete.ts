/**
 * `databaseUser.delete`: removes a database user, its generated password's secret and its end schedule. A
 * user already gone (Atlas deleted it at its `deleteAfterDate`, or someone did) is success: the secret and the
 * schedule still go. The end schedule of a temporary user sends this type.
 */
import { deleteDatabaseUser } from '../../atlas/resources/database-users.ts';
import * as z from '../../config/zod.ts';
import { deleteIfPresent } from '../delete-outcome.ts';
import { planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import { credentialSecretName, userEndScheduleName } from '../temporary-access.ts';
import { defineOperationType } from '../types.ts';
import { userKey, userKeyFields } from './params.ts';

const params = z.strictObject(userKeyFields);

export type DeleteDatabaseUserParams = z.infer<typeof params>;

export const databaseUserDelete = defineOperationType<DeleteDatabaseUserParams>({
  type: 'databaseUser.delete',
  summary: 'remove a database user, with its generated password’s secret and its end schedule',
  risk: 'destructive',
  target: (p) => inProject(p.groupId, `database user ${p.username}`),
  params,
  idempotency:
    'A 404 means the user is gone (Atlas deletes a temporary user by itself), the state asked for; a missing ' +
    'secret or schedule likewise.',
  plan: (p) => [planRequest(deleteDatabaseUser, userKey(p))],
  execute: async (p, context) => {
    const key = userKey(p);
    const outcome = await deleteIfPresent(() => context.atlas.databaseUsers.delete(key, context.callOptions));
    const credentialsDeleted = (await context.vault?.remove(credentialSecretName(key))) ?? false;
    await context.scheduler?.cancel(userEndScheduleName(key));
    return { username: p.username, databaseName: key.databaseName, ...outcome, credentialsDeleted };
  },
  describeResult: (result) => {
    const r = result as { username: string; deleted: boolean; credentialsDeleted: boolean };
    return (
      `database user ${r.username} ${r.deleted ? 'deleted' : 'was already gone (Atlas deletes a temporary user at its end)'}` +
      (r.credentialsDeleted ? '; its password’s secret deleted' : '')
    );
  },
});
