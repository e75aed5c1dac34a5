/**
 * Request paths and page queries of Atlas operations, apart from the HTTP client so that code which only
 * describes requests (dry-run plans, the webhook intake's validation) does not load the client's transport.
 */
import type { Operation } from './operation.ts';

export type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | undefined;

/** The query of one page of a list, as the client asks for it: no count (an estimate Atlas need not compute). */
export function pageQuery(pageNum: number, itemsPerPage = 500): Record<string, QueryValue> {
  return { itemsPerPage, pageNum, includeCount: false };
}

/**
 * The request path of `operation` for `params` (after `/api/atlas/v2`): placeholders filled and URL-encoded
 * (so a CIDR's `/` becomes `%2F`), then the query string. Dry runs use it to report exactly what would be sent.
 */
export function requestPath<P>(
  operation: Operation<P, unknown>,
  params: P,
  extraQuery: Record<string, QueryValue> = {},
): string {
  const values = (params ?? {}) as Record<string, unknown>;
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`${operation.name}: path parameter ${name} has no value`);
    }
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  const entries: [string, QueryValue][] = [
    ...(operation.query ?? []).map((name): [string, QueryValue] => [name, values[name] as QueryValue]),
    ...Object.entries(operation.fixedQuery ?? {}),
    ...Object.entries(extraQuery),
  ];
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  const queryString = query.toString();
  return queryString ? `${path}?${queryString}` : path;
}
