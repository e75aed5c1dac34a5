/**
 * `AtlasClient`: the typed Atlas Administration API v2 client. One property per resource, each method one
 * operation; the transport, auth, versions, retries and pagination live in `AtlasHttp`.
 *
 * @example
 * const atlas = new AtlasClient({ credentials: { clientId, clientSecret } });
 * for await (const cluster of atlas.clusters.list({ groupId })) console.log(cluster.name);
 */
import { AtlasHttp, type AtlasHttpOptions } from './http.ts';
import { CloudBackupsApi } from './resources/cloud-backups.ts';
import { ClustersApi } from './resources/clusters.ts';
import { DatabaseUsersApi } from './resources/database-users.ts';
import { FlexClustersApi } from './resources/flex-clusters.ts';
import { GlobalClustersApi } from './resources/global-clusters.ts';
import { NetworkPeeringApi } from './resources/network-peering.ts';
import { OnlineArchivesApi } from './resources/online-archives.ts';
import { OrgInvitationsApi } from './resources/org-invitations.ts';
import { OrgUsersApi } from './resources/org-users.ts';
import { OrgsApi } from './resources/orgs.ts';
import { ProjectAccessListApi } from './resources/project-access-list.ts';
import { ProjectUsersApi } from './resources/project-users.ts';
import { ProjectsApi } from './resources/projects.ts';
import { ServiceAccountAccessListApi } from './resources/service-account-access-list.ts';

/** Options of `AtlasClient`: credentials, base URL, dispatcher, logger, retry policy. */
export type AtlasClientOptions = AtlasHttpOptions;

export class AtlasClient extends AtlasHttp {
  readonly orgs = new OrgsApi(this);
  readonly projects = new ProjectsApi(this);
  readonly clusters = new ClustersApi(this);
  readonly flexClusters = new FlexClustersApi(this);
  readonly projectUsers = new ProjectUsersApi(this);
  readonly networkPeering = new NetworkPeeringApi(this);
  readonly onlineArchives = new OnlineArchivesApi(this);
  readonly orgInvitations = new OrgInvitationsApi(this);
  readonly orgUsers = new OrgUsersApi(this);
  readonly serviceAccountAccessList = new ServiceAccountAccessListApi(this);
  readonly projectAccessList = new ProjectAccessListApi(this);
  readonly globalClusters = new GlobalClustersApi(this);
  readonly databaseUsers = new DatabaseUsersApi(this);
  readonly cloudBackups = new CloudBackupsApi(this);
}
