/**
 * Plans from the client's own operation declarations (path template, query, fixed query, body), so that what
 * a dry run reports is what a run sends, in the same encoding.
 */

import type { Operation } from '../atlas/index.ts';
import { pageQuery, requestPath } from '../atlas/request-path.ts';
import type { PlannedRequest } from './types.ts';

/**
 * A value that a run reads from Atlas's answer to an earlier request (a user id found by email, …); the
 * plan shows it as `{name}`.
 */
export function fromAnswer(name: string): string {
  return `{${name}}`;
}

/**
 * The request `operation` sends for `params`; for a list (`list: true`), the request of its first page.
 *
 * @example
 * planRequest(deleteOnlineArchive, { groupId, clusterName, archiveId }) // { method: 'DELETE', path: '/groups/…' }
 */
export function planRequest<P>(
  operation: Operation<P, unknown>,
  params: P,
  options: { list?: boolean } = {},
): PlannedRequest {
  const { method } = operation;
  if (method === 'PUT') throw new TypeError(`${operation.name}: PUT is not a plannable method`);
  const full = requestPath(operation, params, options.list ? pageQuery(1) : {});
  return {
    method,
    // `fromAnswer` placeholders were URL-encoded with the rest; show them as written.
    path: full.replace(/%7B(\w+)%7D/g, '{$1}'),
    ...(operation.body ? { body: operation.body(params) } : {}),
  };
}
