/** Finding a project's user by email, as the grant and the revoke do. */
import type { AtlasClient, CallOptions } from '../../atlas/index.ts';
import type { ProjectUser } from '../../atlas/resources/project-users.ts';

/** The project's user with `username` (compared without case, as Atlas's usernames are emails), if any. */
export async function findProjectUser(
  atlas: AtlasClient,
  groupId: string,
  username: string,
  callOptions: CallOptions | undefined,
): Promise<ProjectUser | undefined> {
  const wanted = username.toLowerCase();
  for await (const user of atlas.projectUsers.list({ groupId, username }, callOptions)) {
    if (user.username.toLowerCase() === wanted) return user;
  }
  return undefined;
}
