/**
 * The tiny queue worker's wiring: the Atlas worker kit, the queue worker's retry policy, one metric per
 * outcome. A project Atlas answers 404 for is dead-lettered at once (retrying cannot find it); any other
 * failure is retried with the shared policy, and dead-lettered on its last receive.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { AtlasApiError } from '../../../../shared/atlas/errors.ts';
import { parseEnv } from '../../../../shared/config/env.ts';
import { metricRecorder } from '../../../../shared/config/metrics.ts';
import { createAtlasWorkerKit } from '../../../../shared/lambda/worker-kit.ts';
import { SqsWorkQueue } from '../../../../shared/queue-worker/adapters/work-queue.ts';
import { queueWorkerSettings } from '../../../../shared/queue-worker/environment.ts';
import { receiveCountOf, retryOrDeadLetter } from '../../../../shared/queue-worker/retry-policy.ts';
import { projectCheckEnvSchema } from './env.ts';
import { PROJECT_CHECK_METRICS } from './worker.ts';

export function createProjectCheckHandler(env: Record<string, string | undefined>) {
  const parsed = parseEnv(projectCheckEnvSchema, env);
  const settings = queueWorkerSettings(parsed);
  const kit = createAtlasWorkerKit({ env, secretId: parsed.ATLAS_SECRET_ID, reserveMs: 1_000 });
  const sqs = kit.traced(new SQSClient({ ...kit.awsEndpoint('SQS'), useQueueUrlAsEndpoint: false }));
  const queue = new SqsWorkQueue({ sqs, ...settings });
  const record = metricRecorder(kit.metrics, PROJECT_CHECK_METRICS);

  return kit.handler(async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
    const check = async (message: SQSRecord) => {
      const { projectId } = JSON.parse(message.body) as { projectId: string };
      try {
        await context.atlas.run((atlas) => atlas.projects.get({ groupId: projectId }));
        record('ProjectsFound', 1);
      } catch (error) {
        if (error instanceof AtlasApiError && error.status === 404) {
          await queue.moveToDeadLetter(message.body, { reason: 'PROJECT_NOT_FOUND', detail: error.message });
          record('ProjectsMissing', 1);
          return;
        }
        await retryOrDeadLetter(
          { record: message, receiveCount: receiveCountOf(message) },
          { error, detail: String(error) },
          { queue, ...settings },
          {
            deadLettered: () => kit.logger.error('Project check dead-lettered', { projectId }),
            deferred: (inSeconds) =>
              kit.logger.warn('Project check will be retried', { projectId, inSeconds }),
          },
        );
      }
    };
    return processPartialResponse(event, check, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
  });
}
