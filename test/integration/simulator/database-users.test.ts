/**
 * Database users (2023-01-01) over raw HTTP against the demo seed: create, read, list, change and delete;
 * temporary users and their one-week cap; the kinds of user and their rules; limits; expiry by the clock.
 */
import { describe, expect, it } from 'vitest';
import {
  DEMO_CLUSTERS,
  DEMO_DATABASE_USERS,
  DEMO_PROJECT_IDS,
  DEMO_TEMPORARY_USER_EXPIRY,
} from '../../../local/atlas-simulator/seeds/demo.ts';
import {
  atlasCall,
  bearerToken,
  type Json,
  type Page,
  type RawResponse,
  send,
  useDemoSimulator,
} from '../../support/simulator.ts';

const { paymentsProd, analytics, sandbox } = DEMO_PROJECT_IDS;
const VERSION = '2023-01-01';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('database users', () => {
  const demo = useDemoSimulator();

  const call = (method: string, path: string, body?: unknown, token = demo.token): Promise<RawResponse> =>
    atlasCall(demo.sim, token, method, path, { version: VERSION, ...(body === undefined ? {} : { body }) });
  const usersPath = (groupId: string) => `/groups/${groupId}/databaseUsers`;
  const userPath = (groupId: string, username: string, databaseName = 'admin') =>
    `${usersPath(groupId)}/${encodeURIComponent(databaseName)}/${encodeURIComponent(username)}`;
  const inMs = (ms: number) => new Date(demo.sim.now() + ms).toISOString();
  const scram = (groupId: string, username: string, extra: Json = {}): Json => ({
    databaseName: 'admin',
    groupId,
    username,
    password: 'correct-horse-battery',
    roles: [{ databaseName: 'orders', roleName: 'readWrite' }],
    ...extra,
  });
  const usernames = async (groupId: string, token = demo.token) =>
    (
      (await call('GET', usersPath(groupId), undefined, token)).json as Page<{ username: string }>
    ).results.map((u) => u.username);
  const advanceClock = async (ms: number) =>
    send(demo.sim, 'POST', '/__sim/clock', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: ms }),
    });

  describe('the demo seed', () => {
    it('gives every project a permanent admin, a reader scoped to one cluster and a temporary user', async () => {
      // Act
      const res = await call('GET', usersPath(paymentsProd));
      const iamReader = await call(
        'GET',
        userPath(analytics, DEMO_DATABASE_USERS.analytics.reader, '$external'),
      );

      // Assess
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json');
      const body = res.json as Page<Json>;
      expect(body.totalCount).toBe(3);
      const names = DEMO_DATABASE_USERS.paymentsProd;
      expect(body.results).toEqual([
        expect.objectContaining({
          username: names.admin,
          databaseName: 'admin',
          roles: [{ databaseName: 'admin', roleName: 'atlasAdmin' }],
          scopes: [],
        }),
        expect.objectContaining({
          username: names.reader,
          roles: [{ databaseName: 'payments', roleName: 'read' }],
          scopes: [{ name: DEMO_CLUSTERS.paymentsMain, type: 'CLUSTER' }],
        }),
        expect.objectContaining({ username: names.temporary, deleteAfterDate: DEMO_TEMPORARY_USER_EXPIRY }),
      ]);
      expect(body.results[0]).not.toHaveProperty('deleteAfterDate');
      expect(iamReader.status).toBe(200);
      expect(iamReader.json).toMatchObject({
        databaseName: '$external',
        awsIAMType: 'ROLE',
        scopes: [{ name: DEMO_CLUSTERS.analyticsGcp, type: 'CLUSTER' }],
      });
    });
  });

  describe('a temporary user scoped to a cluster', () => {
    it('is created (201, no password in the answer), read, listed and deleted (204)', async () => {
      // Prepare
      const expires = inMs(3 * DAY);
      const user = scram(sandbox, 'etl-tmp', {
        scopes: [{ name: DEMO_CLUSTERS.sandboxDev, type: 'CLUSTER' }],
        deleteAfterDate: expires,
        labels: [{ key: 'ticket', value: 'OPS-1234' }],
      });

      // Act
      const created = await call('POST', usersPath(sandbox), user);
      const read = await call('GET', userPath(sandbox, 'etl-tmp'));
      const listed = await usernames(sandbox);
      const deleted = await call('DELETE', userPath(sandbox, 'etl-tmp'));
      const gone = await call('GET', userPath(sandbox, 'etl-tmp'));

      // Assess
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        groupId: sandbox,
        databaseName: 'admin',
        username: 'etl-tmp',
        roles: [{ databaseName: 'orders', roleName: 'readWrite' }],
        scopes: [{ name: DEMO_CLUSTERS.sandboxDev, type: 'CLUSTER' }],
        labels: [{ key: 'ticket', value: 'OPS-1234' }],
        awsIAMType: 'NONE',
        ldapAuthType: 'NONE',
        oidcAuthType: 'NONE',
        x509Type: 'NONE',
        deleteAfterDate: expires.replace(/\.\d{3}Z$/, 'Z'),
        links: [{ href: `${demo.sim.url}/api/atlas/v2${userPath(sandbox, 'etl-tmp')}`, rel: 'self' }],
      });
      expect(created.text).not.toContain('correct-horse-battery');
      expect(read.status).toBe(200);
      expect(read.json).toEqual(created.json);
      expect(listed).toContain('etl-tmp');
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect(gone.status).toBe(404);
      expect(gone.json).toMatchObject({
        errorCode: 'USERNAME_NOT_FOUND',
        detail: 'No user with username etl-tmp exists.',
      });
      expect(await usernames(sandbox)).not.toContain('etl-tmp');
    });

    it('is refused when it would outlive a week, or has expired already', async () => {
      // Act
      const justUnderAWeek = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'week', { deleteAfterDate: inMs(7 * DAY - 60_000) }),
      );
      const overAWeek = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'eight-days', { deleteAfterDate: inMs(7 * DAY + 60_000) }),
      );
      const past = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'past', { deleteAfterDate: inMs(-1000) }),
      );

      // Assess
      expect(justUnderAWeek.status).toBe(201);
      expect(overAWeek.status).toBe(400);
      expect(overAWeek.json).toMatchObject({
        errorCode: 'EXPIRATION_DATE_EXCEEDS_MAX',
        badRequestDetail: { fields: [expect.objectContaining({ field: 'deleteAfterDate' })] },
      });
      expect(past.status).toBe(400);
      expect(past.json).toMatchObject({ errorCode: 'EXPIRATION_DATE_IN_PAST' });
      expect(await usernames(sandbox)).not.toContain('eight-days');
    });

    it('gets a new expiry with PATCH, again at most a week from the PATCH', async () => {
      // Prepare
      await call('POST', usersPath(sandbox), scram(sandbox, 'oncall', { deleteAfterDate: inMs(6 * DAY) }));
      await advanceClock(5 * DAY);
      const token = await bearerToken(demo.sim);

      // Act
      const extended = await call(
        'PATCH',
        userPath(sandbox, 'oncall'),
        { deleteAfterDate: inMs(6 * DAY) },
        token,
      );
      const tooFar = await call(
        'PATCH',
        userPath(sandbox, 'oncall'),
        { deleteAfterDate: inMs(8 * DAY) },
        token,
      );

      // Assess
      expect(extended.status).toBe(200);
      expect(Date.parse(String((extended.json as Json).deleteAfterDate))).toBeGreaterThan(
        demo.sim.now() + 5 * DAY,
      );
      expect(tooFar.status).toBe(400);
      expect(tooFar.json).toMatchObject({ errorCode: 'EXPIRATION_DATE_EXCEEDS_MAX' });
    });

    it('is gone from every read and write once the clock passes its deleteAfterDate', async () => {
      // Prepare
      await call('POST', usersPath(sandbox), scram(sandbox, 'short-lived', { deleteAfterDate: inMs(DAY) }));
      const before = await call('GET', userPath(sandbox, 'short-lived'));

      // Act
      const clock = await advanceClock(DAY + 1000);
      const token = await bearerToken(demo.sim);
      const read = await call('GET', userPath(sandbox, 'short-lived'), undefined, token);
      const listed = await usernames(sandbox, token);
      const patched = await call('PATCH', userPath(sandbox, 'short-lived'), { description: 'late' }, token);
      const deleted = await call('DELETE', userPath(sandbox, 'short-lived'), undefined, token);
      const recreated = await call('POST', usersPath(sandbox), scram(sandbox, 'short-lived'), token);

      // Assess
      expect(before.status).toBe(200);
      expect(clock.status).toBe(200);
      expect(read.status).toBe(404);
      expect(listed).not.toContain('short-lived');
      expect(listed).toContain(DEMO_DATABASE_USERS.sandbox.admin);
      expect(patched.status).toBe(404);
      expect(deleted.status).toBe(404);
      expect(recreated.status).toBe(201);
    });
  });

  describe("Atlas's rules", () => {
    it('refuses a temporary X.509 user with ATLAS_X509_USER_CANNOT_BE_TEMPORARY, takes a permanent one', async () => {
      // Prepare
      const x509 = {
        databaseName: '$external',
        groupId: sandbox,
        username: 'CN=reporting-service',
        x509Type: 'MANAGED',
        roles: [{ databaseName: 'reports', roleName: 'read' }],
      };

      // Act
      const temporary = await call('POST', usersPath(sandbox), { ...x509, deleteAfterDate: inMs(DAY) });
      const permanent = await call('POST', usersPath(sandbox), x509);
      const withPassword = await call('POST', usersPath(sandbox), {
        ...x509,
        username: 'CN=other',
        password: 'x509-has-no-password',
      });

      // Assess
      expect(temporary.status).toBe(400);
      expect(temporary.json).toMatchObject({
        error: 400,
        errorCode: 'ATLAS_X509_USER_CANNOT_BE_TEMPORARY',
        detail: 'X.509 users cannot be temporary.',
      });
      expect(permanent.status).toBe(201);
      expect(permanent.json).toMatchObject({ x509Type: 'MANAGED', databaseName: '$external' });
      expect(withPassword.json).toMatchObject({ errorCode: 'ATLAS_X509_USER_CANNOT_USE_SCRAM' });
    });

    it('answers the same databaseName and username again with 409 USER_ALREADY_EXISTS', async () => {
      // Act
      const first = await call('POST', usersPath(sandbox), scram(sandbox, 'app'));
      const again = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'app', { password: 'another-one!' }),
      );
      const seeded = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, DEMO_DATABASE_USERS.sandbox.admin),
      );
      const otherProject = await call('POST', usersPath(analytics), scram(analytics, 'app'));

      // Assess
      expect(first.status).toBe(201);
      expect(again.status).toBe(409);
      expect(again.json).toMatchObject({
        error: 409,
        errorCode: 'USER_ALREADY_EXISTS',
        detail: 'A user with username app already exists.',
        reason: 'Conflict',
      });
      expect(seeded.status).toBe(409);
      expect(otherProject.status).toBe(201);
    });

    it('refuses the 101st user of a project with 403 GROUP_USERS_LIMIT_EXCEEDED', async () => {
      // Prepare: the seed holds three users in the project.
      for (let n = 4; n <= 100; n++) {
        const res = await call('POST', usersPath(sandbox), scram(sandbox, `user-${n}`));
        expect(res.status, `user ${n}`).toBe(201);
      }

      // Act
      const overLimit = await call('POST', usersPath(sandbox), scram(sandbox, 'user-101'));
      const elsewhere = await call('POST', usersPath(paymentsProd), scram(paymentsProd, 'user-101'));
      await call('DELETE', userPath(sandbox, 'user-4'));
      const afterDelete = await call('POST', usersPath(sandbox), scram(sandbox, 'user-101'));

      // Assess
      expect(overLimit.status).toBe(403);
      expect(overLimit.json).toMatchObject({
        errorCode: 'GROUP_USERS_LIMIT_EXCEEDED',
        detail: 'Groups can contain at most 100 database users.',
      });
      expect(elsewhere.status).toBe(201);
      expect(afterDelete.status).toBe(201);
      const page = (await call('GET', `${usersPath(sandbox)}?itemsPerPage=500`)).json as Page;
      expect(page.totalCount).toBe(100);
    });

    it('keeps an AWS IAM user on $external, without a password, addressed by its URL-encoded ARN', async () => {
      // Prepare
      const arn = 'arn:aws:iam::123456789012:role/lambda-writer';
      const iam = {
        databaseName: '$external',
        groupId: paymentsProd,
        username: arn,
        awsIAMType: 'ROLE',
        roles: [{ databaseName: 'payments', roleName: 'readWrite' }],
      };

      // Act
      const created = await call('POST', usersPath(paymentsProd), iam);
      const read = await call('GET', userPath(paymentsProd, arn, '$external'));
      const withPassword = await call('POST', usersPath(paymentsProd), {
        ...iam,
        username: `${arn}-2`,
        password: 'iam-users-have-none',
      });
      const onAdmin = await call('POST', usersPath(paymentsProd), { ...iam, databaseName: 'admin' });
      const notAnArn = await call('POST', usersPath(paymentsProd), { ...iam, username: 'lambda-writer' });
      const userArnAsRole = await call('POST', usersPath(paymentsProd), {
        ...iam,
        username: 'arn:aws:iam::123456789012:user/alice',
      });

      // Assess
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ username: arn, databaseName: '$external', awsIAMType: 'ROLE' });
      expect(read.status).toBe(200);
      expect(withPassword.json).toMatchObject({ errorCode: 'INVALID_ATTRIBUTE' });
      expect(onAdmin.json).toMatchObject({ errorCode: 'DATABASE_NAME_INVALID_EXTERNAL' });
      expect(notAnArn.json).toMatchObject({ errorCode: 'ATLAS_INVALID_USERNAME' });
      expect(userArnAsRole.json).toMatchObject({ errorCode: 'ATLAS_INVALID_USERNAME' });
    });

    it('needs a password of 8 or more characters for a SCRAM user, on admin', async () => {
      // Act
      const noPassword = await call('POST', usersPath(sandbox), {
        ...scram(sandbox, 'nopass'),
        password: undefined,
      });
      const short = await call('POST', usersPath(sandbox), scram(sandbox, 'short', { password: 'seven77' }));
      const external = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'external', { databaseName: '$external' }),
      );

      // Assess
      expect(noPassword.status).toBe(400);
      expect(noPassword.json).toMatchObject({
        errorCode: 'MISSING_ATTRIBUTE',
        detail: 'The required attribute password was not specified.',
      });
      expect(short.status).toBe(400);
      expect(short.json).toMatchObject({
        errorCode: 'VALIDATION_ERROR',
        badRequestDetail: { fields: [expect.objectContaining({ field: 'password' })] },
      });
      expect(external.json).toMatchObject({ errorCode: 'DATABASE_NAME_INVALID_ADMIN' });
    });

    it('scopes only to clusters of the project (404 CLUSTER_NOT_FOUND otherwise)', async () => {
      // Act
      const flex = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'flex-only', { scopes: [{ name: 'sandbox-flex', type: 'CLUSTER' }] }),
      );
      const otherProject = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'elsewhere', { scopes: [{ name: DEMO_CLUSTERS.paymentsMain, type: 'CLUSTER' }] }),
      );
      const lake = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'lake', { scopes: [{ name: 'any-lake', type: 'DATA_LAKE' }] }),
      );

      // Assess
      expect(flex.status).toBe(201);
      expect(otherProject.status).toBe(404);
      expect(otherProject.json).toMatchObject({
        errorCode: 'CLUSTER_NOT_FOUND',
        parameters: [DEMO_CLUSTERS.paymentsMain, sandbox],
      });
      expect(lake.status).toBe(201);
    });

    it('checks roles, the body groupId, and what a PATCH may not change', async () => {
      // Prepare
      await call('POST', usersPath(sandbox), scram(sandbox, 'svc'));

      // Act
      const custom = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'custom', { roles: [{ databaseName: 'admin', roleName: 'myCustomRole' }] }),
      );
      const anyDbOnApp = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'any', { roles: [{ databaseName: 'app', roleName: 'readAnyDatabase' }] }),
      );
      const twice = await call(
        'POST',
        usersPath(sandbox),
        scram(sandbox, 'twice', {
          roles: [
            { databaseName: 'app', roleName: 'read' },
            { databaseName: 'app', roleName: 'read' },
          ],
        }),
      );
      const mismatch = await call('POST', usersPath(sandbox), scram(paymentsProd, 'mismatch'));
      const newRoles = await call('PATCH', userPath(sandbox, 'svc'), {
        roles: [{ databaseName: 'app', roleName: 'read', collectionName: 'events' }],
        scopes: [{ name: DEMO_CLUSTERS.sandboxDev, type: 'CLUSTER' }],
        password: 'rotated-password',
      });
      const rename = await call('PATCH', userPath(sandbox, 'svc'), { username: 'svc2' });
      const move = await call('PATCH', userPath(sandbox, 'svc'), { databaseName: '$external' });
      const kind = await call('PATCH', userPath(sandbox, 'svc'), { awsIAMType: 'USER' });

      // Assess
      expect(custom.json).toMatchObject({ errorCode: 'ATLAS_INVALID_ROLE' });
      expect(anyDbOnApp.json).toMatchObject({ errorCode: 'ATLAS_INVALID_ROLE_DATABASE' });
      expect(twice.json).toMatchObject({ errorCode: 'DUPLICATE_DATABASE_ROLES' });
      expect(mismatch.json).toMatchObject({ errorCode: 'GROUP_MISMATCH' });
      expect(newRoles.status).toBe(200);
      expect(newRoles.json).toMatchObject({
        roles: [{ databaseName: 'app', roleName: 'read', collectionName: 'events' }],
        scopes: [{ name: DEMO_CLUSTERS.sandboxDev, type: 'CLUSTER' }],
      });
      expect(newRoles.text).not.toContain('rotated-password');
      expect([rename.status, move.status, kind.status]).toEqual([409, 409, 409]);
      expect(rename.json).toMatchObject({ errorCode: 'DATABASE_USERNAME_CANNOT_BE_CHANGED' });
      expect(move.json).toMatchObject({ errorCode: 'DATABASE_NAME_CANNOT_BE_CHANGED' });
      expect(kind.json).toMatchObject({ errorCode: 'AUTH_TYPE_CANNOT_BE_CHANGED' });
    });
  });
});
