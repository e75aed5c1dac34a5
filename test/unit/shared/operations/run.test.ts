/** Running a parsed operation: dry runs send nothing; Atlas errors become transient or permanent. */
import { describe, expect, it } from 'vitest';
import {
  AtlasApiError,
  AtlasAuthError,
  AtlasDeadlineError,
  AtlasNetworkError,
} from '../../../../shared/atlas/index.ts';
import { PermanentOperationError, TransientOperationError } from '../../../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../../../shared/operations/message.ts';
import { runOperation } from '../../../../shared/operations/run.ts';
import { inProject } from '../../../../shared/operations/target.ts';
import { defineOperationType } from '../../../../shared/operations/types.ts';
import { mockAtlas } from '../../../support/mock-atlas.ts';
import { API, ARCHIVE_ID, atlasError, GROUP_ID, message, rejectionOf, reply, run } from './fixtures.ts';

const TYPE = 'onlineArchive.delete';
const PATH = `/groups/${GROUP_ID}/clusters/prod-1/onlineArchives/${ARCHIVE_ID}`;
const params = { groupId: GROUP_ID, clusterName: 'prod-1', archiveId: ARCHIVE_ID };
const body = message(TYPE, params);

/** A client that makes one attempt per call, so each Atlas answer reaches the operation layer as it is. */
const oneAttempt = () => mockAtlas({ retry: { maxAttempts: 1 } });

describe('runOperation', () => {
  it('runs the executor and reports SUCCEEDED with its result', async () => {
    // Prepare
    const atlas = mockAtlas();
    reply(atlas, 'DELETE', PATH, 204);

    // Act
    const outcome = await runOperation(parseOperationMessage(body), { atlas: atlas.client });

    // Assess
    expect(outcome).toEqual({ status: 'SUCCEEDED', dryRun: false, result: { deleted: true } });
  });

  it('makes no request at all on a dry run, not even for a token', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const outcome = await run(atlas, message(TYPE, params, { dryRun: true }));

    // Assess
    expect(atlas.calls()).toEqual([]);
    expect(outcome).toEqual({
      status: 'SUCCEEDED',
      dryRun: true,
      result: { dryRun: true, requests: [{ method: 'DELETE', path: PATH }] },
    });
  });

  it('passes the call options to the client (a deadline already past sends nothing)', async () => {
    // Prepare
    const atlas = mockAtlas();

    // Act
    const error = await rejectionOf(
      runOperation(parseOperationMessage(body), {
        atlas: atlas.client,
        callOptions: { deadline: Date.now() - 1 },
      }),
    );

    // Assess
    expect(error).toBeInstanceOf(TransientOperationError);
    expect((error as TransientOperationError).cause).toBeInstanceOf(AtlasDeadlineError);
    expect(atlas.apiCalls()).toEqual([]);
  });
});

describe('runOperation error classification', () => {
  it('makes a 429 transient, keeping the wait Atlas asked for', async () => {
    // Prepare
    const atlas = oneAttempt();
    atlas.pool
      .intercept({ path: `${API}${PATH}`, method: 'DELETE' })
      .reply(429, atlasError(429, 'RATE_LIMITED'), { headers: { 'retry-after': '7' } });

    // Act
    const error = await rejectionOf(run(atlas, body));

    // Assess
    expect(error).toBeInstanceOf(TransientOperationError);
    expect((error as TransientOperationError).retryAfterMs).toBe(7_000);
    expect((error as TransientOperationError).cause).toMatchObject({
      status: 429,
      errorCode: 'RATE_LIMITED',
    });
  });

  it.each([500, 502, 503, 504])('makes a %i transient', async (status) => {
    // Prepare
    const atlas = oneAttempt();
    reply(atlas, 'DELETE', PATH, status, atlasError(status, 'UNEXPECTED_ERROR'));

    // Act
    const error = await rejectionOf(run(atlas, body));

    // Assess
    expect(error).toBeInstanceOf(TransientOperationError);
    expect((error as TransientOperationError).cause).toBeInstanceOf(AtlasApiError);
  });

  it('makes a network error transient', async () => {
    // Prepare
    const atlas = oneAttempt();
    atlas.pool
      .intercept({ path: `${API}${PATH}`, method: 'DELETE' })
      .replyWithError(new Error('socket hang up'));

    // Act
    const error = await rejectionOf(run(atlas, body));

    // Assess
    expect(error).toBeInstanceOf(TransientOperationError);
    expect((error as TransientOperationError).cause).toBeInstanceOf(AtlasNetworkError);
  });

  it('makes a token endpoint that is down transient', async () => {
    // Prepare
    const atlas = mockAtlas({ token: false, retry: { maxAttempts: 1 } });
    atlas.pool
      .intercept({ path: '/api/oauth/token', method: 'POST' })
      .reply(503, { error: 'temporarily_unavailable' }, { headers: { 'retry-after': '3' } });

    // Act
    const error = await rejectionOf(run(atlas, body));

    // Assess
    expect(error).toBeInstanceOf(TransientOperationError);
    expect((error as TransientOperationError).retryAfterMs).toBe(3_000);
  });

  it('passes refused credentials through unchanged, for the Atlas session to read the secret again', async () => {
    // Prepare
    const atlas = mockAtlas({ token: false, retry: { maxAttempts: 1 } });
    atlas.pool
      .intercept({ path: '/api/oauth/token', method: 'POST' })
      .reply(401, { error: 'invalid_client', error_description: 'Invalid credentials provided.' });

    // Act
    const error = await rejectionOf(run(atlas, body));

    // Assess
    expect(error).toBeInstanceOf(AtlasAuthError);
    expect(error).toMatchObject({ oauthError: 'invalid_client', status: 401 });
  });

  it('passes a 401 that refuses the token through unchanged (after the client tried a fresh token)', async () => {
    // Prepare
    const atlas = oneAttempt();
    const refused = atlasError(401, 'UNAUTHORIZED', 'Unauthorized.');
    reply(atlas, 'DELETE', PATH, 401, refused);
    reply(atlas, 'DELETE', PATH, 401, refused);

    // Act
    const error = await rejectionOf(run(atlas, body));

    // Assess
    expect(error).toBeInstanceOf(AtlasApiError);
    expect(error).toMatchObject({ status: 401, errorCode: 'UNAUTHORIZED' });
  });

  it.each([
    { status: 400, errorCode: 'INVALID_PARAMETER', detail: 'The archive id is not valid.' },
    { status: 401, errorCode: 'NOT_IN_GROUP', detail: 'The caller is not in the project.' },
    { status: 403, errorCode: 'ORG_REQUIRES_ACCESS_LIST', detail: 'The API access list does not admit you.' },
    { status: 409, errorCode: 'CANNOT_MODIFY_ARCHIVE', detail: 'The archive is being changed.' },
  ])('makes a $status permanent, with errorCode and detail', async ({ status, errorCode, detail }) => {
    // Prepare
    const atlas = oneAttempt();
    // One reply each: a permission 401 is not worth a fresh token, so the client sends it once too.
    reply(atlas, 'DELETE', PATH, status, atlasError(status, errorCode, detail));

    // Act
    const error = await rejectionOf(run(atlas, body));

    // Assess
    expect(error).toBeInstanceOf(PermanentOperationError);
    expect(error).toMatchObject({ errorCode, detail, status });
  });

  it('makes input the client refuses permanent, as VALIDATION_ERROR naming the field, and sends nothing', async () => {
    // Prepare
    const atlas = mockAtlas();
    const parsed = { ...parseOperationMessage(body), params: { ...params, groupId: 'not-an-id' } };

    // Act
    const error = await rejectionOf(runOperation(parsed, { atlas: atlas.client }));

    // Assess
    expect(error).toBeInstanceOf(PermanentOperationError);
    expect(error).toMatchObject({
      errorCode: 'VALIDATION_ERROR',
      detail: expect.stringContaining('groupId'),
    });
    expect(atlas.apiCalls()).toEqual([]);
  });

  it('lets an error that is no Atlas error through unchanged', async () => {
    // Prepare
    const atlas = mockAtlas();
    const bug = new TypeError('cannot read properties of undefined');
    const definition = defineOperationType<unknown>({
      type: 'test.broken',
      summary: 'fails',
      risk: 'read',
      target: () => inProject('0123456789abcdef01234567', 'nothing'),
      params: parseOperationMessage(body).definition.params,
      idempotency: 'none',
      plan: () => [],
      execute: async () => {
        throw bug;
      },
    });
    const parsed = { ...parseOperationMessage(body), definition };

    // Act
    const error = await rejectionOf(runOperation(parsed, { atlas: atlas.client }));

    // Assess
    expect(error).toBe(bug);
  });
});
