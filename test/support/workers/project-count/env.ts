/** The tiny worker's environment: nothing but what every Atlas worker is given. */
import * as z from '../../../../shared/config/zod.ts';

export const projectCountEnvSchema = z.object({
  ATLAS_SECRET_ID: z.string('is required').check(z.minLength(1, 'is required')),
});
