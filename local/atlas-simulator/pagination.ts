/** Atlas list responses: `itemsPerPage` 1–500 (default 100), `pageNum` ≥ 1, `includeCount`, and links. */
import { validationError } from './errors.ts';
import type { PageAction } from './faults.ts';

export interface PageRequest {
  itemsPerPage: number;
  pageNum: number;
  includeCount: boolean;
}

function integerParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number) {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw validationError([{ field: name, description: `must be a whole number from ${min} to ${max}` }]);
  }
  return value;
}

/** Reads the page parameters of a list request; bad values give 400 VALIDATION_ERROR naming the field. */
export function readPageRequest(query: URLSearchParams): PageRequest {
  const includeCount = query.get('includeCount');
  if (includeCount !== null && includeCount !== 'true' && includeCount !== 'false') {
    throw validationError([{ field: 'includeCount', description: 'must be true or false' }]);
  }
  return {
    itemsPerPage: integerParam(query, 'itemsPerPage', 100, 1, 500),
    pageNum: integerParam(query, 'pageNum', 1, 1, 1_000_000),
    includeCount: includeCount !== 'false',
  };
}

/**
 * One page of `items` as Atlas returns it, with `self`, `next` and `previous` links. A scripted page fault
 * breaks it the way a faulty server would: `no-results` drops the `results` array, `ignore-page-num` answers
 * page 1 whatever was asked (links included), `no-next-link` leaves out `next`.
 */
export function paginate(
  items: readonly unknown[],
  requested: PageRequest,
  selfUrl: URL,
  fault?: PageAction,
): { links: { href: string; rel: string }[]; results?: unknown[]; totalCount?: number } {
  const page = fault === 'ignore-page-num' ? { ...requested, pageNum: 1 } : requested;
  const start = (page.pageNum - 1) * page.itemsPerPage;
  const results = items.slice(start, start + page.itemsPerPage);
  const link = (rel: string, pageNum: number) => {
    const url = new URL(selfUrl);
    url.searchParams.set('pageNum', String(pageNum));
    url.searchParams.set('itemsPerPage', String(page.itemsPerPage));
    return { href: url.toString(), rel };
  };
  const links = [link('self', page.pageNum)];
  if (start + page.itemsPerPage < items.length && fault !== 'no-next-link')
    links.push(link('next', page.pageNum + 1));
  if (page.pageNum > 1) links.push(link('previous', page.pageNum - 1));
  return {
    links,
    ...(fault === 'no-results' ? {} : { results }),
    ...(page.includeCount ? { totalCount: items.length } : {}),
  };
}
