/**
 * `databaseUser.createTemporary`: a database user that Atlas deletes by itself (`deleteAfterDate`, at most a
 * week out), scoped to named clusters (without `scopes` a user reaches every cluster of the project). A
 * password user's password is generated here and kept in a Secrets Manager secret of its own, readable by the
 * principals the request names; it is never in the ticket, the message, a log, the status record or a
 * comment — the outcome says where it is. An AWS IAM user (`awsIAMType`) has no password and no secret. A
 * schedule deletes the user and its secret at the end (the ticket hears it), in case Atlas has not already.
 */
import { randomBytes } from 'node:crypto';
import {
  createDatabaseUser,
  type DatabaseUser,
  type DatabaseUserRole,
  type DatabaseUserScope,
} from '../../atlas/resources/database-users.ts';
import { clusterName, objectId } from '../../atlas/validation.ts';
import * as z from '../../config/zod.ts';
import { isConflict } from '../delete-outcome.ts';
import { PermanentOperationError } from '../errors.ts';
import { fromAnswer, planRequest } from '../plan.ts';
import { inProject } from '../target.ts';
import {
  credentialSecretName,
  endMessage,
  endOf,
  MAX_DATABASE_USER_MS,
  oneEnd,
  requireService,
  userEndScheduleName,
  whenText,
} from '../temporary-access.ts';
import { defineOperationType, type OperationContext } from '../types.ts';
import { IAM_ARN, isMarkedBy, markedDescription, ONE_WEEK_WHY, userEndFields, userKey } from './params.ts';

const TYPE = 'databaseUser.createTemporary';

const role = z.strictObject({
  roleName: z.string().check(z.minLength(1, 'must not be empty')),
  databaseName: z.string().check(z.minLength(1, 'must not be empty')),
  collectionName: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
});

const scope = z.strictObject({
  name: clusterName,
  type: z._default(
    z.enum(['CLUSTER', 'DATA_LAKE', 'STREAM'], 'must be CLUSTER, DATA_LAKE or STREAM'),
    'CLUSTER',
  ),
});

const iamPrincipal = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+|role\/.+)$/,
      'must be an IAM user, role or account ARN',
    ),
  );

const params = z
  .strictObject({
    groupId: objectId,
    username: z
      .string()
      .check(z.minLength(1, 'must not be empty'), z.maxLength(1024, 'must be at most 1024 characters')),
    /** `USER` or `ROLE`: an AWS IAM user, its ARN as the username; no password. Default: a password user. */
    awsIAMType: z.optional(z.enum(['USER', 'ROLE'], 'must be USER or ROLE')),
    roles: z.array(role).check(z.minLength(1, 'must name at least one role'), z.maxLength(20)),
    /** The clusters it may reach: required, so a temporary user never reaches the whole project. */
    scopes: z
      .array(scope)
      .check(z.minLength(1, 'must name the clusters the user may reach'), z.maxLength(20)),
    ...userEndFields,
    description: z.optional(z.string().check(z.maxLength(40, 'must be at most 40 characters'))),
    /** IAM principals that may read the generated password's secret. Default: none but the account's admins. */
    credentialReaders: z.optional(z.array(iamPrincipal).check(z.maxLength(10))),
  })
  .check(
    z.refine((p) => oneEnd(p, 'deleteAfterDate'), {
      message: 'give expiresIn (e.g. PT24H) or deleteAfterDate, one of them',
      path: ['expiresIn'],
    }),
    z.refine((p) => p.awsIAMType === undefined || IAM_ARN.test(p.username), {
      message: 'must be the IAM user or role ARN of an awsIAMType user',
      path: ['username'],
    }),
    z.refine((p) => p.awsIAMType === undefined || p.credentialReaders === undefined, {
      message: 'an AWS IAM user has no password to read',
      path: ['credentialReaders'],
    }),
  );

export type CreateTemporaryDatabaseUserParams = z.infer<typeof params>;

/** What the status record, the outcome and the ticket say: never the password. */
export interface TemporaryDatabaseUser {
  username: string;
  databaseName: string;
  roles: DatabaseUserRole[];
  scopes: DatabaseUserScope[];
  deleteAfterDate: string;
  /** Where the generated password is (password users only). */
  credentials?: { secretName: string; secretArn: string };
  /** True when a retry found the user its first attempt created. */
  alreadyCreated?: true;
}

export const databaseUserCreateTemporary = defineOperationType<CreateTemporaryDatabaseUserParams>({
  type: TYPE,
  summary: 'create a database user, scoped to named clusters, that Atlas deletes after at most a week',
  risk: 'additive',
  target: (p) =>
    inProject(
      p.groupId,
      `database user ${p.username} (${p.roles.map((r) => r.roleName).join(', ')} on ` +
        `${p.scopes.map((s) => s.name).join(', ')}, ${p.expiresIn ?? `until ${p.deleteAfterDate}`})`,
    ),
  params,
  idempotency:
    'The password is kept before the user is created, under a name derived from the user, so a retry reuses it; ' +
    'a 409 USER_ALREADY_EXISTS for a user this operation created (its description names the operation) is success, ' +
    'anyone else’s is FAILED; the end schedule is named after the user, so a retry sets the same one.',
  plan: (p) => [
    planRequest(createDatabaseUser, {
      groupId: p.groupId,
      user: {
        ...atlasUser(p, '2000-01-01T00:00:00Z', 'operation'),
        deleteAfterDate: fromAnswer('now + expiresIn'),
        description: fromAnswer('description marked with the operation and its end'),
        ...(p.awsIAMType ? {} : { password: fromAnswer('generated password') }),
      },
    }),
  ],
  execute: (p, context) => createTemporaryUser(p, context),
  describeResult: (result) => {
    const user = result as TemporaryDatabaseUser;
    const roles = user.roles.map(
      (r) => `${r.roleName}${r.databaseName === 'admin' ? '' : ` on ${r.databaseName}`}`,
    );
    const where = user.credentials
      ? `; its password is in the Secrets Manager secret ${user.credentials.secretName} (${user.credentials.secretArn})`
      : '; it signs in with its AWS IAM identity, no password';
    return (
      `database user ${user.username} has ${roles.join(', ')} on ${user.scopes.map((s) => s.name).join(', ')} ` +
      `until ${whenText(new Date(user.deleteAfterDate))}, when Atlas deletes it${where}`
    );
  },
});

/** The `CloudDatabaseUser` to create (without its password). */
function atlasUser(p: CreateTemporaryDatabaseUserParams, deleteAfterDate: string, operationId: string) {
  const key = userKey(p);
  return {
    username: p.username,
    databaseName: key.databaseName as DatabaseUser['databaseName'],
    roles: p.roles,
    scopes: p.scopes,
    deleteAfterDate,
    description: markedDescription(p.description, operationId, new Date(deleteAfterDate)),
    ...(p.awsIAMType ? { awsIAMType: p.awsIAMType } : {}),
  };
}

async function createTemporaryUser(
  p: CreateTemporaryDatabaseUserParams,
  context: OperationContext,
): Promise<TemporaryDatabaseUser> {
  const { atlas, callOptions } = context;
  const operationId = requireService(context.operation, 'the operation id', TYPE).id;
  const scheduler = requireService(context.scheduler, 'a scheduler (to end the user and its secret)', TYPE);
  let end = endOf({ expiresIn: p.expiresIn, at: p.deleteAfterDate }, context, {
    maxMs: MAX_DATABASE_USER_MS,
    why: ONE_WEEK_WHY,
    field: 'deleteAfterDate',
  });
  const key = userKey(p);
  const user = atlasUser(p, end.toISOString().replace('.000Z', 'Z'), operationId);

  // A password user: the password first, in its own secret, so a retry uses the same one.
  let credentials: { secretName: string; secretArn: string; password: string; created: boolean } | undefined;
  if (!p.awsIAMType) {
    const vault = requireService(context.vault, 'a credential vault (Secrets Manager)', TYPE);
    const secretName = credentialSecretName(key);
    const kept = await vault.keep(
      secretName,
      JSON.stringify({
        username: p.username,
        password: randomBytes(24).toString('base64url'),
        groupId: p.groupId,
      }),
      {
        description: `atlas-ops: the password of temporary database user ${p.username} of project ${p.groupId}`,
        tags: {
          'atlas-ops:operation': operationId,
          'atlas-ops:project': p.groupId,
          'atlas-ops:expires': end.toISOString(),
        },
      },
    );
    const password = (JSON.parse(kept.value) as { password: string }).password;
    credentials = { secretName, secretArn: kept.arn, password, created: kept.created };
  }

  let alreadyCreated = false;
  try {
    await atlas.databaseUsers.create(
      { groupId: p.groupId, user: { ...user, ...(credentials ? { password: credentials.password } : {}) } },
      callOptions,
    );
  } catch (error) {
    if (!isConflict(error)) throw error;
    const existing = await atlas.databaseUsers.get(key, callOptions);
    if (!isMarkedBy(existing.description, operationId)) {
      // Someone else's user: leave it, and the secret this run made for nothing.
      if (credentials?.created) await context.vault?.remove(credentials.secretName);
      throw new PermanentOperationError({
        errorCode: 'USER_ALREADY_EXISTS',
        status: 409,
        detail: `a database user ${p.username} exists already in project ${p.groupId} and is not this request's`,
        cause: error,
      });
    }
    alreadyCreated = true;
    // The first attempt's end is the user's.
    if (existing.deleteAfterDate) end = new Date(existing.deleteAfterDate);
  }
  // Only now, the user known to be this request's: a ticket naming someone else's user reaches no reader.
  if (credentials && p.credentialReaders?.length) {
    await requireService(context.vault, 'a credential vault', TYPE).share(
      credentials.secretName,
      p.credentialReaders,
    );
  }

  // The end: the user and its secret are deleted then, and the ticket hears it.
  const endMessageId = `${userEndScheduleName(key)}-${Math.floor(end.getTime() / 1000)}`;
  await scheduler.scheduleAt(
    userEndScheduleName(key),
    end,
    endMessage(context, {
      id: endMessageId,
      type: 'databaseUser.delete',
      params: { groupId: p.groupId, username: p.username, databaseName: key.databaseName },
    }),
    // The newest user of this name is the one to end (an older schedule of a user deleted early must not).
    { replace: true },
  );

  return {
    username: p.username,
    databaseName: key.databaseName,
    roles: p.roles,
    scopes: user.scopes,
    deleteAfterDate: end.toISOString(),
    ...(credentials
      ? { credentials: { secretName: credentials.secretName, secretArn: credentials.secretArn } }
      : {}),
    ...(alreadyCreated ? { alreadyCreated: true as const } : {}),
  };
}
