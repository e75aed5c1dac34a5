/**
 * Database users of a project (2023-01-01, `CloudDatabaseUser`): `POST /groups/{groupId}/databaseUsers` → 201,
 * the paged list, and `GET|PATCH|DELETE /groups/{groupId}/databaseUsers/{databaseName}/{username}` (200, 200,
 * 204; the username URL-encoded, an AWS IAM ARN's `/` as `%2F`). The password is write-only: it is checked,
 * never kept and never answered.
 *
 * Sources: the spec subset (schemas), reference/atlas-api.md Addendum 3 (one week, 100 users, 409
 * USER_ALREADY_EXISTS, ATLAS_X509_USER_CANNOT_BE_TEMPORARY), atlas-sdk-go's `CloudDatabaseUser` field docs
 * (which database and username form each kind of user takes; a SCRAM user must have a password) and Atlas's
 * error-code page (mongodb/docs `api-errors.txt`) for every code and text below.
 *
 * - A user is SCRAM (every `*Type` NONE), X.509 (`x509Type`), AWS IAM (`awsIAMType`), LDAP (`ldapAuthType`) or
 *   OIDC (`oidcAuthType`); naming two kinds is 400 ATLAS_INVALID_AUTH_SETTINGS (X.509 with LDAP:
 *   ATLAS_X509_USER_CANNOT_USE_LDAP). SCRAM and OIDC IdP-group users live on `admin` (else 400
 *   DATABASE_NAME_INVALID_ADMIN), X.509, AWS IAM, LDAP-user and OIDC-user users on `$external` (else 400
 *   DATABASE_NAME_INVALID_EXTERNAL); an LDAP group may use either (the SDK says `$external`, the Terraform
 *   provider's issue #447 shows Atlas keeping LDAP groups on `admin`).
 * - A SCRAM user needs a `password` (400 MISSING_ATTRIBUTE); an X.509 user with one is 400
 *   ATLAS_X509_USER_CANNOT_USE_SCRAM; any other external user with one is 400 INVALID_ATTRIBUTE (assumed).
 * - An AWS IAM username is an ARN of a user (`awsIAMType` USER) or a role (ROLE), else 400
 *   ATLAS_INVALID_USERNAME; an Atlas-managed X.509 username is `CN=<name>`, else 400
 *   ATLAS_MANAGED_X509_NAME_INVALID.
 * - Roles are the built-in ones (the spec's enum; the simulator keeps no custom roles): another name is 400
 *   ATLAS_INVALID_ROLE, a cluster-wide role on a database other than `admin` 400 ATLAS_INVALID_ROLE_DATABASE,
 *   the same role twice 400 DUPLICATE_DATABASE_ROLES.
 * - A CLUSTER scope must name a cluster (dedicated or flex) of the project: 404 CLUSTER_NOT_FOUND, Atlas's
 *   text for a missing cluster (its use here is assumed). DATA_LAKE and STREAM scopes are taken as given (the
 *   simulator keeps neither).
 * - `deleteAfterDate` must be in the future (400 EXPIRATION_DATE_IN_PAST) and at most 7 × 24 h after the
 *   request (400 EXPIRATION_DATE_EXCEEDS_MAX), the codes Atlas answers for an access-list entry's expiry (their
 *   use for users is assumed); a PATCH measures from its own time. An X.509 user cannot be temporary (400
 *   ATLAS_X509_USER_CANNOT_BE_TEMPORARY). Once the date has passed by the simulator's clock the user is gone
 *   from every read and write (Atlas deletes it).
 * - A second user of the same `databaseName` and `username` is 409 USER_ALREADY_EXISTS; the 101st user of a
 *   project is 403 GROUP_USERS_LIMIT_EXCEEDED ("Groups can contain at most %d database users.").
 * - A body `groupId` other than the path's is 400 GROUP_MISMATCH. A PATCH may not change `username` (409
 *   DATABASE_USERNAME_CANNOT_BE_CHANGED), `databaseName` (409 DATABASE_NAME_CANNOT_BE_CHANGED) or the kind of
 *   user (409 AUTH_TYPE_CANNOT_BE_CHANGED); the fields it sends replace the stored ones (roles and scopes
 *   whole).
 * - An unknown user is 404 USERNAME_NOT_FOUND with the text "No user with username %s exists." (the
 *   error-code page; the same text in the Terraform provider's issue #360).
 *
 * Which rule Atlas checks first is our best knowledge.
 */
import { z } from 'zod';
import { badRequest, notFound, SimError } from '../errors.ts';
import { defineRoute } from '../routes.ts';
import { inGroup, type SimDatabaseUser, type SimDatabaseUserRole, type SimState } from '../state.ts';
import { clusterName, DATABASE_ROLES, isoDateTime, objectId } from '../validation.ts';
import { atlasDate, V2023_01_01 } from './common.ts';

/** Addendum 3: at most 100 database users a project. */
export const MAX_DATABASE_USERS = 100;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Cluster-wide built-in roles, granted on `admin` only. */
const ADMIN_ONLY_ROLES = new Set([
  'atlasAdmin',
  'backup',
  'clusterMonitor',
  'dbAdminAnyDatabase',
  'enableSharding',
  'readAnyDatabase',
  'readWriteAnyDatabase',
]);

const AWS_IAM_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/[\w+=,.@/-]+$/;
const MANAGED_X509_NAME = /^CN=[^,=+]+$/;

// --- Request schemas (the spec's `CloudDatabaseUser`) --------------------------------------------------------

const role = z.object({
  databaseName: z.string().min(1, 'must name a database'),
  roleName: z.string().min(1, 'must name a role'),
  collectionName: z.string().min(1).optional(),
});
const scope = z.object({ name: clusterName, type: z.enum(['CLUSTER', 'DATA_LAKE', 'STREAM']) });
const label = z.object({ key: z.string().min(1).max(255), value: z.string().min(1).max(255) });
const databaseName = z.enum(['admin', '$external']);
const authTypes = {
  awsIAMType: z.enum(['NONE', 'USER', 'ROLE']),
  ldapAuthType: z.enum(['NONE', 'GROUP', 'USER']),
  oidcAuthType: z.enum(['NONE', 'IDP_GROUP', 'USER']),
  x509Type: z.enum(['NONE', 'CUSTOMER', 'MANAGED']),
};
const changeable = {
  deleteAfterDate: isoDateTime.optional(),
  description: z.string().max(100, 'must be at most 100 characters').optional(),
  labels: z.array(label).optional(),
  password: z.string().min(8, 'must be at least 8 characters').optional(),
  scopes: z.array(scope).optional(),
};

const newUserBody = z.object({
  ...changeable,
  awsIAMType: authTypes.awsIAMType.default('NONE'),
  ldapAuthType: authTypes.ldapAuthType.default('NONE'),
  oidcAuthType: authTypes.oidcAuthType.default('NONE'),
  x509Type: authTypes.x509Type.default('NONE'),
  databaseName,
  groupId: objectId,
  roles: z.array(role),
  username: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
});

const changesBody = z.object({
  ...changeable,
  awsIAMType: authTypes.awsIAMType.optional(),
  ldapAuthType: authTypes.ldapAuthType.optional(),
  oidcAuthType: authTypes.oidcAuthType.optional(),
  x509Type: authTypes.x509Type.optional(),
  databaseName: databaseName.optional(),
  groupId: objectId.optional(),
  roles: z.array(role).optional(),
  username: z.string().min(1).max(1024).optional(),
});

type AuthFields = Pick<SimDatabaseUser, 'awsIAMType' | 'ldapAuthType' | 'oidcAuthType' | 'x509Type'>;
type Kind = 'SCRAM' | 'X509' | 'AWS_IAM' | 'LDAP' | 'OIDC';

const groupParams = z.object({ groupId: objectId });
const userParams = z.object({ groupId: objectId, databaseName: z.string(), username: z.string() });

// --- Rules -------------------------------------------------------------------------------------------------

/** Removes the temporary users whose time is up (Atlas deletes them itself). */
function purgeExpired(state: SimState, now: number): void {
  state.databaseUsers = state.databaseUsers.filter(
    (u) => u.deleteAfterDate === undefined || Date.parse(u.deleteAfterDate) > now,
  );
}

function findUser(state: SimState, params: z.infer<typeof userParams>): SimDatabaseUser {
  const user = state.databaseUsers.find(
    (u) =>
      u.groupId === params.groupId &&
      u.databaseName === params.databaseName &&
      u.username === params.username,
  );
  if (!user) {
    throw notFound('USERNAME_NOT_FOUND', `No user with username ${params.username} exists.`, [
      params.username,
    ]);
  }
  return user;
}

/** Which kind of user the auth fields make, or Atlas's 400 when they name two. */
function kindOf(user: AuthFields): Kind {
  const kinds: Kind[] = [];
  if (user.x509Type !== 'NONE') kinds.push('X509');
  if (user.awsIAMType !== 'NONE') kinds.push('AWS_IAM');
  if (user.ldapAuthType !== 'NONE') kinds.push('LDAP');
  if (user.oidcAuthType !== 'NONE') kinds.push('OIDC');
  if (kinds.length > 1) {
    if (kinds.includes('X509') && kinds.includes('LDAP')) {
      throw badRequest(
        'ATLAS_X509_USER_CANNOT_USE_LDAP',
        'Users cannot be configured for X.509 and LDAP authentication.',
      );
    }
    throw badRequest(
      'ATLAS_INVALID_AUTH_SETTINGS',
      `Invalid authentication settings. A user authenticates one way only, not ${kinds.join(' and ')}.`,
      { parameters: kinds },
    );
  }
  return kinds[0] ?? 'SCRAM';
}

function checkDatabaseName(user: AuthFields & { databaseName: string }, kind: Kind): void {
  const onAdmin = kind === 'SCRAM' || (kind === 'OIDC' && user.oidcAuthType === 'IDP_GROUP');
  const either = kind === 'LDAP' && user.ldapAuthType === 'GROUP';
  if (either) return;
  if (onAdmin && user.databaseName !== 'admin') {
    const who = kind === 'SCRAM' ? 'SCRAM users' : 'OIDC IdP group users';
    throw badRequest(
      'DATABASE_NAME_INVALID_ADMIN',
      `Database name invalid. ${who} can only be created on the admin database.`,
      { parameters: [who], field: 'databaseName', description: 'must be admin' },
    );
  }
  if (!onAdmin && user.databaseName !== '$external') {
    throw badRequest(
      'DATABASE_NAME_INVALID_EXTERNAL',
      'Database name invalid. Externally authenticated users can only be created on the $external database.',
      { field: 'databaseName', description: 'must be $external' },
    );
  }
}

function checkPassword(kind: Kind, password: string | undefined, creating: boolean): void {
  if (kind === 'SCRAM') {
    if (creating && password === undefined) {
      throw badRequest('MISSING_ATTRIBUTE', 'The required attribute password was not specified.', {
        parameters: ['password'],
        field: 'password',
        description: 'a SCRAM user needs a password',
      });
    }
    return;
  }
  if (password === undefined) return;
  if (kind === 'X509') {
    throw badRequest(
      'ATLAS_X509_USER_CANNOT_USE_SCRAM',
      'Users cannot be configured for SCRAM and X.509 authentication.',
      { field: 'password', description: 'an X.509 user has no password' },
    );
  }
  throw badRequest('INVALID_ATTRIBUTE', 'Invalid attribute password specified.', {
    parameters: ['password'],
    field: 'password',
    description: 'only a SCRAM user has a password',
  });
}

function checkUsername(user: AuthFields & { username: string }, kind: Kind): void {
  if (kind === 'AWS_IAM') {
    const match = AWS_IAM_ARN.exec(user.username);
    const expected = user.awsIAMType === 'USER' ? 'user' : 'role';
    if (!match || match[1] !== expected) {
      throw badRequest(
        'ATLAS_INVALID_USERNAME',
        `The specified username ${user.username} is not valid for an Atlas database user.`,
        {
          parameters: [user.username],
          field: 'username',
          description: `must be the ARN of an AWS IAM ${expected} (arn:aws:iam::<account>:${expected}/<name>)`,
        },
      );
    }
  }
  if (user.x509Type === 'MANAGED' && !MANAGED_X509_NAME.test(user.username)) {
    throw badRequest(
      'ATLAS_MANAGED_X509_NAME_INVALID',
      `The username ${user.username} is invalid for Atlas-managed X.509 user auth. These usernames must take the form CN=<username> with no additional OIDs.`,
      { parameters: [user.username], field: 'username', description: 'must be CN=<username>' },
    );
  }
}

function checkRoles(roles: readonly SimDatabaseUserRole[], username: string): void {
  const seen = new Set<string>();
  roles.forEach((r, index) => {
    if (!(DATABASE_ROLES as readonly string[]).includes(r.roleName)) {
      throw badRequest(
        'ATLAS_INVALID_ROLE',
        `The specified role ${r.roleName}@${r.databaseName} does not exist.`,
        {
          parameters: [r.roleName, r.databaseName],
          field: `roles.${index}.roleName`,
          description: `must be a built-in role (${DATABASE_ROLES.join(', ')})`,
        },
      );
    }
    if (ADMIN_ONLY_ROLES.has(r.roleName) && r.databaseName !== 'admin') {
      throw badRequest(
        'ATLAS_INVALID_ROLE_DATABASE',
        `The specified role ${r.roleName} only exists for database admin.`,
        {
          parameters: [r.roleName, 'admin'],
          field: `roles.${index}.databaseName`,
          description: 'must be admin',
        },
      );
    }
    const key = `${r.roleName}@${r.databaseName}.${r.collectionName ?? ''}`;
    if (seen.has(key)) {
      throw badRequest(
        'DUPLICATE_DATABASE_ROLES',
        `Duplicate database roles specified for user ${username}: ${r.roleName}@${r.databaseName}.`,
        { parameters: [username, `${r.roleName}@${r.databaseName}`], field: `roles.${index}` },
      );
    }
    seen.add(key);
  });
}

function checkScopes(state: SimState, groupId: string, scopes: SimDatabaseUser['scopes']): void {
  for (const s of scopes) {
    if (s.type !== 'CLUSTER') continue;
    const exists =
      inGroup(state.clusters, groupId).some((c) => c.name === s.name) ||
      inGroup(state.flexClusters, groupId).some((c) => c.name === s.name);
    if (!exists) {
      throw notFound('CLUSTER_NOT_FOUND', `No cluster named ${s.name} exists in group ${groupId}.`, [
        s.name,
        groupId,
      ]);
    }
  }
}

function checkExpiry(kind: Kind, deleteAfterDate: string | undefined, now: number): void {
  if (deleteAfterDate === undefined) return;
  if (kind === 'X509') {
    throw badRequest('ATLAS_X509_USER_CANNOT_BE_TEMPORARY', 'X.509 users cannot be temporary.', {
      field: 'deleteAfterDate',
      description: 'an X.509 user cannot be temporary',
    });
  }
  const expires = Date.parse(deleteAfterDate);
  if (expires <= now) {
    throw badRequest('EXPIRATION_DATE_IN_PAST', 'The specified expiration date must be in the future.', {
      field: 'deleteAfterDate',
      description: 'must be in the future',
    });
  }
  if (expires > now + WEEK_MS) {
    throw badRequest(
      'EXPIRATION_DATE_EXCEEDS_MAX',
      'The specified expiration date can be at most 7 days in the future.',
      { parameters: [7], field: 'deleteAfterDate', description: 'must be at most one week in the future' },
    );
  }
}

function checkGroup(bodyGroupId: string | undefined, groupId: string): void {
  if (bodyGroupId !== undefined && bodyGroupId !== groupId) {
    throw badRequest('GROUP_MISMATCH', `The specified group ID ${bodyGroupId} does not match the URL.`, {
      parameters: [bodyGroupId],
      field: 'groupId',
      description: 'must be the project of the path',
    });
  }
}

/** `CloudDatabaseUser` as Atlas answers it: the stored user (no password) and its link. */
function view(user: SimDatabaseUser, origin: string): Record<string, unknown> {
  const path = `/api/atlas/v2/groups/${user.groupId}/databaseUsers/${encodeURIComponent(user.databaseName)}/${encodeURIComponent(user.username)}`;
  return { ...structuredClone(user), links: [{ href: `${origin}${path}`, rel: 'self' }] };
}

const roleCopy = (r: SimDatabaseUserRole): SimDatabaseUserRole => ({
  databaseName: r.databaseName,
  roleName: r.roleName,
  ...(r.collectionName === undefined ? {} : { collectionName: r.collectionName }),
});

export const databaseUserRoutes = [
  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/databaseUsers',
    versions: V2023_01_01,
    endpointSet: 'database-users',
    params: groupParams,
    handle: ({ state, params, now, url }) => {
      purgeExpired(state, now);
      const list = state.databaseUsers
        .filter((u) => u.groupId === params.groupId)
        .map((u) => view(u, url.origin));
      return { status: 200, list };
    },
  }),

  defineRoute({
    method: 'POST',
    path: '/groups/{groupId}/databaseUsers',
    versions: V2023_01_01,
    endpointSet: 'database-users',
    params: groupParams,
    body: newUserBody,
    handle: ({ state, params, body, now, url }) => {
      purgeExpired(state, now);
      const { groupId } = params;
      checkGroup(body.groupId, groupId);
      const kind = kindOf(body);
      checkDatabaseName(body, kind);
      checkPassword(kind, body.password, true);
      checkUsername(body, kind);
      checkRoles(body.roles, body.username);
      checkScopes(state, groupId, body.scopes ?? []);
      checkExpiry(kind, body.deleteAfterDate, now);
      const users = state.databaseUsers.filter((u) => u.groupId === groupId);
      if (users.some((u) => u.databaseName === body.databaseName && u.username === body.username)) {
        throw new SimError(
          409,
          'USER_ALREADY_EXISTS',
          `A user with username ${body.username} already exists.`,
          {
            parameters: [body.username],
          },
        );
      }
      if (users.length >= MAX_DATABASE_USERS) {
        throw new SimError(
          403,
          'GROUP_USERS_LIMIT_EXCEEDED',
          `Groups can contain at most ${MAX_DATABASE_USERS} database users.`,
          { parameters: [MAX_DATABASE_USERS] },
        );
      }
      const user: SimDatabaseUser = {
        groupId,
        databaseName: body.databaseName,
        username: body.username,
        roles: body.roles.map(roleCopy),
        scopes: body.scopes ?? [],
        labels: body.labels ?? [],
        awsIAMType: body.awsIAMType,
        ldapAuthType: body.ldapAuthType,
        oidcAuthType: body.oidcAuthType,
        x509Type: body.x509Type,
        ...(body.deleteAfterDate === undefined
          ? {}
          : { deleteAfterDate: atlasDate(Date.parse(body.deleteAfterDate)) }),
        ...(body.description === undefined ? {} : { description: body.description }),
      };
      state.databaseUsers.push(user);
      return { status: 201, body: view(user, url.origin) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/groups/{groupId}/databaseUsers/{databaseName}/{username}',
    versions: V2023_01_01,
    endpointSet: 'database-users',
    params: userParams,
    handle: ({ state, params, now, url }) => {
      purgeExpired(state, now);
      return { status: 200, body: view(findUser(state, params), url.origin) };
    },
  }),

  defineRoute({
    method: 'PATCH',
    path: '/groups/{groupId}/databaseUsers/{databaseName}/{username}',
    versions: V2023_01_01,
    endpointSet: 'database-users',
    params: userParams,
    body: changesBody,
    handle: ({ state, params, body, now, url }) => {
      purgeExpired(state, now);
      const user = findUser(state, params);
      checkGroup(body.groupId, params.groupId);
      if (body.username !== undefined && body.username !== user.username) {
        throw new SimError(
          409,
          'DATABASE_USERNAME_CANNOT_BE_CHANGED',
          'Cannot modify the username of an existing database user.',
        );
      }
      if (body.databaseName !== undefined && body.databaseName !== user.databaseName) {
        throw new SimError(
          409,
          'DATABASE_NAME_CANNOT_BE_CHANGED',
          'Cannot modify the authentication database of an existing database user.',
        );
      }
      const authKeys = ['awsIAMType', 'ldapAuthType', 'oidcAuthType', 'x509Type'] as const;
      if (authKeys.some((key) => body[key] !== undefined && body[key] !== user[key])) {
        throw new SimError(
          409,
          'AUTH_TYPE_CANNOT_BE_CHANGED',
          'Cannot modify the authentication type of an existing database user.',
        );
      }
      const kind = kindOf(user);
      checkPassword(kind, body.password, false);
      if (body.roles !== undefined) checkRoles(body.roles, user.username);
      if (body.scopes !== undefined) checkScopes(state, params.groupId, body.scopes);
      checkExpiry(kind, body.deleteAfterDate, now);
      if (body.roles !== undefined) user.roles = body.roles.map(roleCopy);
      if (body.scopes !== undefined) user.scopes = body.scopes;
      if (body.labels !== undefined) user.labels = body.labels;
      if (body.description !== undefined) user.description = body.description;
      if (body.deleteAfterDate !== undefined)
        user.deleteAfterDate = atlasDate(Date.parse(body.deleteAfterDate));
      return { status: 200, body: view(user, url.origin) };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: '/groups/{groupId}/databaseUsers/{databaseName}/{username}',
    versions: V2023_01_01,
    endpointSet: 'database-users',
    params: userParams,
    handle: ({ state, params, now }) => {
      purgeExpired(state, now);
      const user = findUser(state, params);
      state.databaseUsers = state.databaseUsers.filter((u) => u !== user);
      return { status: 204 };
    },
  }),
];
