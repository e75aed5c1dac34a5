/** The tiny worker's wiring: the Atlas worker kit, one paginated list, one metric. */

import { parseEnv } from '../../../../shared/config/env.ts';
import { metricRecorder } from '../../../../shared/config/metrics.ts';
import { createAtlasWorkerKit } from '../../../../shared/lambda/worker-kit.ts';
import { projectCountEnvSchema } from './env.ts';
import { PROJECT_COUNT_METRICS } from './worker.ts';

export function createProjectCountHandler(env: Record<string, string | undefined>) {
  const config = parseEnv(projectCountEnvSchema, env);
  const kit = createAtlasWorkerKit({ env, secretId: config.ATLAS_SECRET_ID, reserveMs: 1_000 });
  return kit.handler(async (_event: unknown, context): Promise<{ projects: number }> => {
    const projects = await context.atlas.run(async (atlas) => {
      let count = 0;
      for await (const _project of atlas.projects.list()) count += 1;
      return count;
    });
    metricRecorder(kit.metrics, PROJECT_COUNT_METRICS)('ProjectsCounted', projects);
    kit.logger.info('Projects counted', { projects });
    return { projects };
  });
}
