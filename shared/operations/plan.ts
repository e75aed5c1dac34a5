/**
 * Plans from the client's own operation declarations (path template, query, fixed query, body), so that what
 * a dry run reports is what a run sends, in the same encoding.
 */
import type { Operation } from '../atlas/index.ts';
import type { PlannedRequest } from './types.ts';

/** The query of the first page of a list, as the client pages (500 items, no count). */
const FIRST_PAGE = { itemsPerPage: 500, pageNum: 1, includeCount: false };

type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | undefined;

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
  const values = params as Record<string, unknown>;
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(values[name])),
  );
  const query = new URLSearchParams();
  const entries: [string, QueryValue][] = [
    ...(operation.query ?? []).map((name): [string, QueryValue] => [name, values[name] as QueryValue]),
    ...Object.entries(operation.fixedQuery ?? {}),
    ...(options.list ? Object.entries(FIRST_PAGE) : []),
  ];
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  const full = query.size > 0 ? `${path}?${query}` : path;
  return {
    method,
    // `fromAnswer` placeholders were URL-encoded with the rest; show them as written.
    path: full.replace(/%7B(\w+)%7D/g, '{$1}'),
    ...(operation.body ? { body: operation.body(params) } : {}),
  };
}
