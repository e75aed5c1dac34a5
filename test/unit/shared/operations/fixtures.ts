/** Shared helpers of the operation tests: run a message on a mock Atlas and read back what it sent. */
import { expect } from 'vitest';
import { InvalidOperationError } from '../../../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../../../shared/operations/message.ts';
import { type OperationRunResult, runOperation } from '../../../../shared/operations/run.ts';
import type { PlannedRequest } from '../../../../shared/operations/types.ts';
import { JSON_HEADERS, type MockAtlas } from '../../../support/mock-atlas.ts';
import { API } from '../atlas/resources/fixtures.ts';

export {
  API,
  ARCHIVE_ID,
  AWS_PEERING,
  CLIENT_ID,
  CONTAINER_ID,
  FIRST_PAGE,
  GROUP_ID,
  INVITATION_ID,
  ORG_ID,
  PEER_ID,
  rejectionOf,
  USER_ID,
} from '../atlas/resources/fixtures.ts';

/** A message of `type` with `params`, plus any other envelope fields. */
export function message(type: string, params: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ type, params, ...extra });
}

/** Parses and runs a message on the mock Atlas. */
export function run(atlas: MockAtlas, body: string): Promise<OperationRunResult> {
  return runOperation(parseOperationMessage(body), { atlas: atlas.client });
}

/** Answers the next `method path` (path after /api/atlas/v2, query included) with `status` and `body`. */
export function reply(atlas: MockAtlas, method: string, path: string, status: number, body?: unknown): void {
  const interceptor = atlas.pool.intercept({ path: `${API}${path}`, method });
  if (body === undefined) interceptor.reply(status, '');
  else interceptor.reply(status, JSON.stringify(body), { headers: JSON_HEADERS });
}

/** An Atlas error body. */
export function atlasError(status: number, errorCode: string, detail = `${errorCode} happened`) {
  return { error: status, errorCode, detail, reason: 'Reason' };
}

/** One request as the mock Atlas received it, in the terms of a plan, with its media types. */
export interface SentRequest extends PlannedRequest {
  accept: string | string[] | undefined;
  contentType?: string | string[];
}

/** What reached the mock Atlas (token requests left out). */
export function sent(atlas: MockAtlas): SentRequest[] {
  return atlas.apiCalls().map((call) => ({
    method: call.method as PlannedRequest['method'],
    path: call.path.slice(API.length),
    ...(call.body ? { body: JSON.parse(String(call.body)) } : {}),
    accept: call.headers.accept,
    ...(call.headers['content-type'] ? { contentType: call.headers['content-type'] } : {}),
  }));
}

/** The media type of an Atlas API version. */
export const media = (version: string) => `application/vnd.atlas.${version}+json`;

/** The planned requests of a list of sent ones (media types left out). */
export function asPlan(requests: readonly SentRequest[]): PlannedRequest[] {
  return requests.map(({ method, path, body }) => ({
    method,
    path,
    ...(body === undefined ? {} : { body }),
  }));
}

/** The `InvalidOperationError` that parsing `body` throws (fails the test when it parses). */
export function invalid(body: string): InvalidOperationError {
  try {
    parseOperationMessage(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOperationError);
    return error as InvalidOperationError;
  }
  throw new Error('expected the message to be refused, but it parsed');
}

/** The fields named by the `InvalidOperationError` of a message of `type` with `params`. */
export function badFields(type: string, params: unknown): string[] {
  const error = invalid(message(type, params));
  expect(error.reason).toBe('INVALID_PARAMS');
  return error.problems.map((p) => p.field);
}
