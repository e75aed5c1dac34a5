/** The tiny queue worker's environment: what every Atlas worker and every queue worker is given. */
import * as z from '../../../../shared/config/zod.ts';
import { QUEUE_WORKER_VARIABLES } from '../../../../shared/queue-worker/environment.ts';

export const projectCheckEnvSchema = z.object({
  ATLAS_SECRET_ID: z.string('is required').check(z.minLength(1, 'is required')),
  ...QUEUE_WORKER_VARIABLES,
});
