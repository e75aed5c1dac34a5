/**
 * The kit every worker is built from: observability, AWS SDK clients pointed where the environment says,
 * Atlas sessions from the credentials secret for the workers that call Atlas, and `handler()`, which wraps the
 * worker's function in the kit's middlewares. A worker's create-handler.ts reads its config, builds its
 * adapters with the kit, and hands its function to `kit.handler`.
 *
 * @example
 * const kit = createAtlasWorkerKit({ env, secretId: config.secretId, reserveMs: 10_000 });
 * export const handler = kit.handler(async (event, context) => context.atlas.run((atlas) => …));
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy, { type MiddlewareObj } from '@middy/core';
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
}

export interface AtlasWorkerKitOptions extends WorkerKitOptions {
  /** Name or ARN of the Atlas credentials secret (`ATLAS_SECRET_ID`). */
  secretId: string;
  /** Time kept back from the Lambda's remaining time to record results: Atlas calls stop before it. */
  reserveMs: number;
  /** The Atlas client's retry policy for this worker. @default the client's */
  atlasRetry?: Partial<RetryPolicy>;
}

/** The kit of a worker that does not call Atlas (the webhook intake). */
export interface WorkerKit<TContext extends Context = Context> extends Observability {
  /**
   * SDK client settings for `service`: the endpoint from `AWS_ENDPOINT_URL_<SERVICE>` when the environment
   * has one (the local stand-ins), nothing otherwise (the SDK's own resolution, as in Lambda).
   */
  awsEndpoint(service: AwsService): { endpoint?: string };
  /** The SDK client with X-Ray capture (a no-op when tracing is off). */
  traced<T>(client: T): T;
  /** `fn` wrapped in the kit's middlewares: observability (and, for an Atlas worker, the Atlas session). */
  handler<TEvent, TResult>(
    fn: (event: TEvent, context: TContext) => Promise<TResult>,
  ): middy.MiddyfiedHandler<TEvent, TResult>;
}

/** The kit of a worker that calls Atlas: its handlers get `context.atlas`, a session with the deadline. */
export interface AtlasWorkerKit extends WorkerKit<AtlasSessionContext> {
  readonly sessions: AtlasSessions;
}

/** A kit for a worker that does not call Atlas: observability and AWS clients. */
export function createWorkerKit(options: WorkerKitOptions): WorkerKit {
  return buildKit(options, createObservability(), []);
}

/** A kit for a worker that calls Atlas: as `createWorkerKit`, plus Atlas sessions from the credentials secret. */
export function createAtlasWorkerKit(options: AtlasWorkerKitOptions): AtlasWorkerKit {
  const tools = createObservability();
  const traced = tracedBy(tools);
  const sessions = new AtlasSessions({
    connection: new SecretAtlasConnection({
      secretId: options.secretId,
      client: traced(new SecretsManagerClient(endpointIn(options.env, 'SECRETS_MANAGER'))),
    }),
    client: { logger: tools.logger, ...(options.atlasRetry ? { retry: options.atlasRetry } : {}) },
  });
  const kit = buildKit<AtlasSessionContext>(options, tools, [
    atlasSession(sessions, { reserveMs: options.reserveMs }),
  ]);
  return { ...kit, sessions };
}

function buildKit<TContext extends Context>(
  options: WorkerKitOptions,
  tools: Observability,
  extra: MiddlewareObj[],
): WorkerKit<TContext> {
  const middlewares = [...observability(tools), ...extra];
  return {
    ...tools,
    awsEndpoint: (service) => endpointIn(options.env, service),
    traced: tracedBy(tools),
    handler: <TEvent, TResult>(fn: (event: TEvent, context: TContext) => Promise<TResult>) =>
      middy<TEvent, TResult>((event: TEvent, context: Context) => fn(event, context as TContext)).use(
        middlewares,
      ),
  };
}

function endpointIn(env: Record<string, string | undefined>, service: AwsService): { endpoint?: string } {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`];
  return endpoint ? { endpoint } : {};
}

function tracedBy(tools: Observability): <T>(client: T) => T {
  return (client) => tools.tracer.captureAWSv3Client(client);
}
