/** `GET /orgs`: the organizations the caller belongs to (2023-01-01). */
import { z } from 'zod';
import { defineRoute } from '../routes.ts';
import { V2023_01_01 } from './common.ts';

export const orgRoutes = [
  defineRoute({
    method: 'GET',
    path: '/orgs',
    versions: V2023_01_01,
    endpointSet: 'organizations-user',
    query: z.object({ name: z.string().optional() }).loose(),
    handle: ({ state, principal, query, url }) => {
      const prefix = query.name?.toLowerCase();
      const list = state.orgs
        .filter((org) => org.id === principal.orgId && !org.isDeleted)
        .filter((org) => prefix === undefined || org.name.toLowerCase().startsWith(prefix))
        .map((org) => ({
          ...org,
          links: [{ href: `${url.origin}/api/atlas/v2/orgs/${org.id}`, rel: 'self' }],
        }));
      return { status: 200, list };
    },
  }),
];
