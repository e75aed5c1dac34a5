/** Parsing a queue message: what is refused and why, which id a failure is recorded under, and derived ids. */
import { describe, expect, it } from 'vitest';
import {
  deriveOperationId,
  MAX_MESSAGE_BYTES,
  parseOperationMessage,
} from '../../../../shared/operations/message.ts';
import { ARCHIVE_ID, GROUP_ID, invalid, message } from './fixtures.ts';

const TYPE = 'onlineArchive.delete';
const params = { groupId: GROUP_ID, clusterName: 'prod-1', archiveId: ARCHIVE_ID };

describe('parseOperationMessage', () => {
  it('returns the checked operation with its definition', () => {
    // Prepare
    const body = JSON.stringify({
      id: 'jira:OPS-123.1',
      type: TYPE,
      params,
      requestedBy: { source: 'jira', ref: 'OPS-123', actor: 'ada@example.com' },
      dryRun: true,
    });

    // Act
    const parsed = parseOperationMessage(body);

    // Assess
    expect(parsed).toMatchObject({
      id: 'jira:OPS-123.1',
      type: TYPE,
      params,
      requestedBy: { source: 'jira', ref: 'OPS-123', actor: 'ada@example.com' },
      dryRun: true,
    });
    expect(parsed.definition.type).toBe(TYPE);
  });

  it('is not a dry run unless the message says so', () => {
    // Act
    const parsed = parseOperationMessage(message(TYPE, params));

    // Assess
    expect(parsed.dryRun).toBe(false);
  });

  it('refuses a body that is not JSON, with no id', () => {
    // Act
    const error = invalid('{"type": "onlineArchive.delete",');

    // Assess
    expect(error.reason).toBe('NOT_JSON');
    expect(error.operationId).toBeUndefined();
  });

  it.each(['[]', 'null', '"onlineArchive.delete"', '42'])('refuses %s as not an operation', (body) => {
    // Act
    const error = invalid(body);

    // Assess
    expect(error.reason).toBe('NOT_AN_OPERATION');
    expect(error.problems).toEqual([{ field: '(message)', description: 'must be a JSON object' }]);
  });

  it.each([
    { name: 'missing params', body: { id: 'op-1', type: TYPE }, field: 'params', description: 'is required' },
    {
      name: 'params that are an array',
      body: { id: 'op-1', type: TYPE, params: [] },
      field: 'params',
      description: 'must be a JSON object',
    },
    {
      name: 'a misspelt dryRun',
      body: { id: 'op-1', type: TYPE, params, dryrun: true },
      field: 'dryrun',
      description: 'is not a known field',
    },
    {
      name: 'a dryRun that is a string',
      body: { id: 'op-1', type: TYPE, params, dryRun: 'yes' },
      field: 'dryRun',
      description: expect.any(String),
    },
    {
      name: 'requestedBy without a source',
      body: { id: 'op-1', type: TYPE, params, requestedBy: { ref: 'OPS-1' } },
      field: 'requestedBy.source',
      description: expect.any(String),
    },
  ])('refuses $name as not an operation, naming $field, with the id', ({ body, field, description }) => {
    // Act
    const error = invalid(JSON.stringify(body));

    // Assess
    expect(error.reason).toBe('NOT_AN_OPERATION');
    expect(error.problems).toEqual([{ field, description }]);
    expect(error.operationId).toBe('op-1');
  });

  it.each([
    { name: 'spaces', id: 'OPS 123' },
    { name: '129 characters', id: 'x'.repeat(129) },
    { name: 'nothing', id: '' },
  ])('refuses an id of $name, and records under no id', ({ id }) => {
    // Act
    const error = invalid(JSON.stringify({ id, type: TYPE, params }));

    // Assess
    expect(error.reason).toBe('NOT_AN_OPERATION');
    expect(error.problems.map((p) => p.field)).toEqual(['id']);
    expect(error.operationId).toBeUndefined();
  });

  it('refuses an unknown type, with the id given', () => {
    // Act
    const error = invalid(JSON.stringify({ id: 'op-1', type: 'bucket.delete', params: {} }));

    // Assess
    expect(error.reason).toBe('UNKNOWN_TYPE');
    expect(error.problems).toEqual([{ field: 'type', description: expect.stringContaining(TYPE) }]);
    expect(error.operationId).toBe('op-1');
  });

  it('refuses an unknown type, with the id derived when none is given', () => {
    // Prepare
    const body = { type: 'bucket.delete', params: { groupId: GROUP_ID } };

    // Act
    const error = invalid(JSON.stringify(body));

    // Assess
    expect(error.reason).toBe('UNKNOWN_TYPE');
    expect(error.operationId).toBe(deriveOperationId(body));
  });

  it('refuses bad params, naming each bad field, with the derived id', () => {
    // Prepare
    const body = { type: TYPE, params: { groupId: 'prod', clusterName: 'prod-1', archiveId: 7 } };

    // Act
    const error = invalid(JSON.stringify(body));

    // Assess
    expect(error.reason).toBe('INVALID_PARAMS');
    expect(error.problems.map((p) => p.field)).toEqual(['params.groupId', 'params.archiveId']);
    expect(error.operationId).toBe(deriveOperationId(body));
    expect(error.message).toContain('params.groupId');
  });

  it('accepts a body of exactly the SQS limit', () => {
    // Prepare
    const body = message(TYPE, params, { requestedBy: { source: 'test', ref: '' } });
    const padded = body.replace('"ref":""', `"ref":"${'r'.repeat(MAX_MESSAGE_BYTES - body.length)}"`);

    // Act
    const parsed = parseOperationMessage(padded);

    // Assess
    expect(Buffer.byteLength(padded)).toBe(MAX_MESSAGE_BYTES);
    expect(parsed.type).toBe(TYPE);
  });

  it('refuses a body over the limit in bytes (not characters) as too large, with the id', () => {
    // Prepare
    const body = JSON.stringify({
      id: 'op-1',
      type: TYPE,
      params,
      requestedBy: { source: 'test', actor: 'é'.repeat(MAX_MESSAGE_BYTES / 2) },
    });

    // Act
    const error = invalid(body);

    // Assess
    expect(body.length).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(error.reason).toBe('TOO_LARGE');
    expect(error.operationId).toBe('op-1');
  });

  it('refuses a body over the limit that is not JSON either as too large', () => {
    // Act
    const error = invalid(`{${' '.repeat(MAX_MESSAGE_BYTES)}`);

    // Assess
    expect(error.reason).toBe('TOO_LARGE');
    expect(error.operationId).toBeUndefined();
  });
});

describe('deriveOperationId', () => {
  const base = { type: TYPE, params, requestedBy: { source: 'jira', ref: 'OPS-123' } };

  it('gives op- and 32 hex digits, the id a message without one is parsed with', () => {
    // Act
    const id = deriveOperationId(base);
    const parsed = parseOperationMessage(JSON.stringify(base));

    // Assess
    expect(id).toMatch(/^op-[0-9a-f]{32}$/);
    expect(parsed.id).toBe(id);
  });

  it('gives the same id whatever the order of keys, at any depth', () => {
    // Prepare
    const reordered = {
      requestedBy: { ref: 'OPS-123', source: 'jira' },
      params: { archiveId: ARCHIVE_ID, clusterName: 'prod-1', groupId: GROUP_ID },
      type: TYPE,
    };

    // Act
    const ids = [deriveOperationId(base), deriveOperationId(reordered)];

    // Assess
    expect(ids[1]).toBe(ids[0]);
  });

  it('gives the same id when only the actor differs', () => {
    // Act
    const id = deriveOperationId({
      ...base,
      requestedBy: { ...base.requestedBy, actor: 'grace@example.com' },
    });

    // Assess
    expect(id).toBe(deriveOperationId(base));
  });

  it.each([
    { name: 'params', other: { ...base, params: { ...params, clusterName: 'prod-2' } } },
    { name: 'type', other: { ...base, type: 'onlineArchive.pause' } },
    { name: 'ref', other: { ...base, requestedBy: { source: 'jira', ref: 'OPS-124' } } },
    { name: 'source', other: { ...base, requestedBy: { source: 'zendesk', ref: 'OPS-123' } } },
    { name: 'requestedBy (absent)', other: { type: TYPE, params } },
  ])('gives another id when the $name differ', ({ other }) => {
    // Act
    const id = deriveOperationId(other);

    // Assess
    expect(id).not.toBe(deriveOperationId(base));
  });
});
