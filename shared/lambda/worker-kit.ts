/**
 * The kit every worker is built from: observability, Atlas sessions from the credentials secret, AWS SDK
 * clients pointed where the environment says, and `handler()`, which wraps the worker's function in the kit's
 * middlewares. A worker's create-handler.ts reads its config, builds its adapters with the kit, and hands its
 * function to `kit.handler`.
 *
 * @example
 * const kit = createWorkerKit({ env, secretId: config.secretId, reserveMs: 10_000 });
 * export const handler = kit.handler(async (event, context) => context.atlas.run((atlas) => …));
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { RetryPolicy } from '../atlas/index.ts';
import { SecretAtlasConnection } from '../aws/atlas-connection.ts';
import { type AtlasSessionContext, AtlasSessions, atlasSession } from './atlas-session.ts';
import { createObservability, type Observability, observability } from './observability.ts';

/** The AWS services the workers use, by the suffix of the SDK's `AWS_ENDPOINT_URL_<SERVICE>` variable. */
export type AwsService = 'S3' | 'SQS' | 'DYNAMODB' | 'SECRETS_MANAGER';

export interface WorkerKitOptions {
  /** The worker's environment: `process.env` in Lambda, the local stack's own on this machine. */
  env: Record<string, string | undefined>;
  /** Name or ARN of the Atlas credentials secret (`ATLAS_SECRET_ID`). */
  secretId: string;
  /** Time kept back from the Lambda's remaining time to record results: Atlas calls stop before it. */
  reserveMs: number;
  /** The Atlas client's retry policy for this worker. @default the client's */
  atlasRetry?: Partial<RetryPolicy>;
}

export interface WorkerKit extends Observability {
  readonly sessions: AtlasSessions;
  /**
   * SDK client settings for `service`: the endpoint from `AWS_ENDPOINT_URL_<SERVICE>` when the environment
   * has one (the local stand-ins), nothing otherwise (the SDK's own resolution, as in Lambda).
   */
  awsEndpoint(service: AwsService): { endpoint?: string };
  /** The SDK client with X-Ray capture (a no-op when tracing is off). */
  traced<T>(client: T): T;
  /** `fn` wrapped in the kit's middlewares: observability, then the Atlas session (`context.atlas`). */
  handler<TEvent, TResult>(
    fn: (event: TEvent, context: AtlasSessionContext) => Promise<TResult>,
  ): middy.MiddyfiedHandler<TEvent, TResult>;
}

export function createWorkerKit(options: WorkerKitOptions): WorkerKit {
  const tools = createObservability();
  const awsEndpoint = (service: AwsService) => {
    const endpoint = options.env[`AWS_ENDPOINT_URL_${service}`];
    return endpoint ? { endpoint } : {};
  };
  const traced = <T>(client: T): T => tools.tracer.captureAWSv3Client(client);
  const sessions = new AtlasSessions({
    connection: new SecretAtlasConnection({
      secretId: options.secretId,
      client: traced(new SecretsManagerClient(awsEndpoint('SECRETS_MANAGER'))),
    }),
    client: { logger: tools.logger, ...(options.atlasRetry ? { retry: options.atlasRetry } : {}) },
  });
  const middlewares = [...observability(tools), atlasSession(sessions, { reserveMs: options.reserveMs })];
  return {
    ...tools,
    sessions,
    awsEndpoint,
    traced,
    handler: <TEvent, TResult>(fn: (event: TEvent, context: AtlasSessionContext) => Promise<TResult>) =>
      middy<TEvent, TResult>((event: TEvent, context: Context) =>
        fn(event, context as AtlasSessionContext),
      ).use(middlewares),
  };
}
