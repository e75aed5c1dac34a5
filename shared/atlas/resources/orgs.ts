/** Organizations the calling service account or API key can see. */
import * as z from '../../config/zod.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import type { Link } from './common.ts';

/** `AtlasOrganization`. */
export interface Organization {
  id?: string;
  name: string;
  isDeleted?: boolean;
  skipDefaultAlertsSettings?: boolean;
  links?: Link[];
}

export interface ListOrgsParams {
  /** Case-insensitive prefix of the organization name. */
  name?: string;
}

export const listOrgs = defineOperation<ListOrgsParams, Page<Organization>>({
  name: 'listOrgs',
  method: 'GET',
  path: '/orgs',
  version: '2023-01-01',
  params: z.object({ name: z.optional(z.string().check(z.minLength(1, 'must not be empty'))) }),
  query: ['name'],
});

export class OrgsApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every organization the caller can access, optionally only those whose name starts with `name`. */
  list(params: ListOrgsParams = {}, options?: PageOptions): AsyncGenerator<Organization> {
    return this.#http.paginate(listOrgs, params, options);
  }
}
