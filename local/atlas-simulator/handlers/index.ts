/** Every route the simulator serves, one module per Atlas resource. */
import type { AnyRoute } from '../routes.ts';
import { allClustersRoutes } from './all-clusters.ts';
import { cloudBackupRoutes } from './cloud-backups.ts';
import { clusterRoutes } from './clusters.ts';
import { databaseUserRoutes } from './database-users.ts';
import { flexClusterRoutes } from './flex-clusters.ts';
import { globalClusterRoutes } from './global-clusters.ts';
import { invitationRoutes } from './invitations.ts';
import { networkPeeringRoutes } from './network-peering.ts';
import { onlineArchiveRoutes } from './online-archives.ts';
import { orgRoutes } from './orgs.ts';
import { projectAccessListRoutes } from './project-access-list.ts';
import { projectUserRoutes } from './project-users.ts';
import { projectRoutes } from './projects.ts';
import { serviceAccountAccessListRoutes } from './service-account-access-list.ts';
import { userRoutes } from './users.ts';

export const allRoutes: readonly AnyRoute[] = [
  ...orgRoutes,
  ...projectRoutes,
  ...clusterRoutes,
  ...allClustersRoutes,
  ...flexClusterRoutes,
  ...userRoutes,
  ...projectUserRoutes,
  ...databaseUserRoutes,
  ...cloudBackupRoutes,
  ...invitationRoutes,
  ...networkPeeringRoutes,
  ...onlineArchiveRoutes,
  ...projectAccessListRoutes,
  ...serviceAccountAccessListRoutes,
  ...globalClusterRoutes,
];
