/** The params the project-role types share. */
import { objectId } from '../../atlas/validation.ts';
import * as z from '../../config/zod.ts';

/** A project role as Atlas names them: `GROUP_READ_ONLY`, `GROUP_DATA_ACCESS_READ_ONLY`, `GROUP_OWNER`, … */
export const projectRole = z
  .string()
  .check(
    z.regex(
      /^GROUP_[A-Z_]+$/,
      'must be a project role such as GROUP_READ_ONLY or GROUP_DATA_ACCESS_READ_ONLY',
    ),
  );

export const grantFields = {
  groupId: objectId,
  /** The MongoDB Cloud user, by the email they sign in with. */
  username: z.email('must be the email address the user signs in to Atlas with'),
  role: projectRole,
};
