/** Projects (Atlas calls them groups: a `groupId` is a project id). */
import * as z from '../../config/zod.ts';
import type { CallOptions } from '../deadline.ts';
import type { AtlasHttp, PageOptions } from '../http.ts';
import { defineOperation, type Page } from '../operation.ts';
import { objectId } from '../validation.ts';
import type { Link, ResourceTag } from './common.ts';

/** `Group`. */
export interface Project {
  /** Always present in responses (the spec marks it read-only, hence optional). */
  id: string;
  name: string;
  orgId: string;
  clusterCount: number;
  created: string;
  regionUsageRestrictions?: 'COMMERCIAL_FEDRAMP_REGIONS_ONLY' | 'GOV_REGIONS_ONLY';
  tags?: ResourceTag[];
  withDefaultAlertsSettings?: boolean;
  links?: Link[];
}

export interface ListOrgProjectsParams {
  orgId: string;
  /** Case-insensitive prefix of the project name. */
  name?: string;
}

const VERSION = '2023-01-01';

export const listProjects = defineOperation<Record<string, never>, Page<Project>>({
  name: 'listGroups',
  method: 'GET',
  path: '/groups',
  version: VERSION,
  params: z.object({}),
});

export const listOrgProjects = defineOperation<ListOrgProjectsParams, Page<Project>>({
  name: 'getOrgGroups',
  method: 'GET',
  path: '/orgs/{orgId}/groups',
  version: VERSION,
  params: z.object({
    orgId: objectId,
    name: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
  }),
  query: ['name'],
});

export const getProject = defineOperation<{ groupId: string }, Project>({
  name: 'getGroup',
  method: 'GET',
  path: '/groups/{groupId}',
  version: VERSION,
  params: z.object({ groupId: objectId }),
});

export class ProjectsApi {
  readonly #http: AtlasHttp;

  constructor(http: AtlasHttp) {
    this.#http = http;
  }

  /** Every project the caller can access, across organizations. */
  list(options?: PageOptions): AsyncGenerator<Project> {
    return this.#http.paginate(listProjects, {}, options);
  }

  /** Every project of one organization, optionally only those whose name starts with `name`. */
  listForOrg(params: ListOrgProjectsParams, options?: PageOptions): AsyncGenerator<Project> {
    return this.#http.paginate(listOrgProjects, params, options);
  }

  /** One project by id. */
  get(params: { groupId: string }, options?: CallOptions): Promise<Project> {
    return this.#http.call(getProject, params, options);
  }
}
