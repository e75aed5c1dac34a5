/**
 * Database users of a project (2023-01-01, `CloudDatabaseUser`): who may connect to its clusters, with which
 * roles, on which clusters (`scopes`), until when (`deleteAfterDate`: Atlas deletes the user then).
 */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { objectId } from '../validation.ts';
import type { Link } from './common.ts';

/** `DatabaseUserRole`: a built-in role (`readAnyDatabase`, `readWrite`, …) or a custom role's name. */
export interface DatabaseUserRole {
  roleName: string;
  databaseName: string;
  collectionName?: string;
}

/** `UserScope`: a cluster (or data lake, stream instance) the user may reach; none = every one of the project. */
export interface DatabaseUserScope {
  name: string;
  type: 'CLUSTER' | 'DATA_LAKE' | 'STREAM';
}

/** `CloudDatabaseUser` as Atlas answers it (never with its password: writeOnly). */
export interface DatabaseUser {
  username: string;
  /** `admin` for SCRAM users, `$external` for AWS IAM, X.509, LDAP and OIDC users. */
  databaseName: 'admin' | '$external';
  groupId?: string;
  roles: DatabaseUserRole[];
  scopes?: DatabaseUserScope[];
  deleteAfterDate?: string;
  description?: string;
  awsIAMType?: 'NONE' | 'USER' | 'ROLE';
  x509Type?: 'NONE' | 'CUSTOMER' | 'MANAGED';
  ldapAuthType?: 'NONE' | 'GROUP' | 'USER';
  oidcAuthType?: 'NONE' | 'IDP_GROUP' | 'USER';
  labels?: { key: string; value: string }[];
  links?: Link[];
}

/** What a create sends: the user, its password for a SCRAM user. */
export interface CreateDatabaseUserParams {
  groupId: string;
  user: Omit<DatabaseUser, 'groupId' | 'links'> & { password?: string };
}

export interface DatabaseUserRef {
  groupId: string;
  databaseName: string;
  username: string;
}

export interface UpdateDatabaseUserParams extends DatabaseUserRef {
  /** The fields to set: the spec's body is a whole user (a caller reads it first and sends it back changed). */
  changes: Partial<Omit<DatabaseUser, 'links'>> & {
    password?: string;
  };
}

const VERSION = '2023-01-01';
const isObject = (value: unknown) => typeof value === 'object' && value !== null;
const userRef = z.object({ groupId: objectId, databaseName: z.string(), username: z.string() });

export const createDatabaseUser = defineOperation<CreateDatabaseUserParams, DatabaseUser>({
  name: 'createGroupDatabaseUser',
  method: 'POST',
  path: '/groups/{groupId}/databaseUsers',
  version: VERSION,
  // The path's id is checked here; the user itself by the operation types' schemas (shared/operations).
  params: z.object({ groupId: objectId, user: z.custom<CreateDatabaseUserParams['user']>(isObject) }),
  // The groupId is required in the body too (CloudDatabaseUser.groupId, writeOnly).
  body: (params) => ({ ...params.user, groupId: params.groupId }),
});

export const listDatabaseUsers = defineOperation<{ groupId: string }, Page<DatabaseUser>>({
  name: 'listGroupDatabaseUsers',
  method: 'GET',
  path: '/groups/{groupId}/databaseUsers',
  version: VERSION,
  params: z.object({ groupId: objectId }),
});

export const getDatabaseUser = defineOperation<DatabaseUserRef, DatabaseUser>({
  name: 'getDatabaseUser',
  method: 'GET',
  path: '/groups/{groupId}/databaseUsers/{databaseName}/{username}',
  version: VERSION,
  params: userRef,
});

export const updateDatabaseUser = defineOperation<UpdateDatabaseUserParams, DatabaseUser>({
  name: 'updateDatabaseUser',
  method: 'PATCH',
  path: '/groups/{groupId}/databaseUsers/{databaseName}/{username}',
  version: VERSION,
  params: z.object({
    groupId: objectId,
    databaseName: z.string(),
    username: z.string(),
    changes: z.custom<UpdateDatabaseUserParams['changes']>(isObject),
  }),
  body: (params) => params.changes,
  // Setting the same fields again has no second effect.
  retrySafe: true,
});

export const deleteDatabaseUser = defineOperation<DatabaseUserRef, undefined>({
  name: 'deleteDatabaseUser',
  method: 'DELETE',
  path: '/groups/{groupId}/databaseUsers/{databaseName}/{username}',
  version: VERSION,
  params: userRef,
});

export class DatabaseUsersApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Creates a user; a user of the same name and database answers 409 `USER_ALREADY_EXISTS`. */
  create(params: CreateDatabaseUserParams, options?: CallOptions): Promise<DatabaseUser> {
    return this.#http.call(createDatabaseUser, params, options);
  }

  /** Every database user of a project. */
  list(params: { groupId: string }, options?: PageOptions): AsyncGenerator<DatabaseUser> {
    return this.#http.paginate(listDatabaseUsers, params, options);
  }

  get(params: DatabaseUserRef, options?: CallOptions): Promise<DatabaseUser> {
    return this.#http.call(getDatabaseUser, params, options);
  }

  update(params: UpdateDatabaseUserParams, options?: CallOptions): Promise<DatabaseUser> {
    return this.#http.call(updateDatabaseUser, params, options);
  }

  delete(params: DatabaseUserRef, options?: CallOptions): Promise<undefined> {
    return this.#http.call(deleteDatabaseUser, params, options);
  }
}
