/**
 * The kit of a worker that does not call Atlas (the webhook intake): observability, AWS SDK clients pointed
 * where the environment says, and `handler()`, which wraps the worker's function in the kit's middlewares.
 * Apart from ./worker-kit.ts so that such a worker's bundle does not carry the Atlas client and its HTTP
 * transport; worker-kit.ts builds the Atlas workers' kit on this one and re-exports it.
 *
 * @example
 * const kit = createWorkerKit({ env });
 * export const handler = kit.handler(async (event, context) => …);
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { createObservability, type Observability, observability } from './observability.ts';

/** The AWS services the workers use, by the suffix of the SDK's `AWS_ENDPOINT_URL_<SERVICE>` variable. */
export type AwsService = 'S3' | 'SQS' | 'DYNAMODB' | 'SECRETS_MANAGER' | 'SCHEDULER';

export interface WorkerKitOptions {
  /** The worker's environment: `process.env` in Lambda, the local stack's own on this machine. */
  env: Record<string, string | undefined>;
}

/** The kit of a worker that does not call Atlas (the webhook intake). */
export interface WorkerKit<TContext extends Context = Context> extends Observability {
  /**
   * SDK client settings for `service`: the endpoint from `AWS_ENDPOINT_URL_<SERVICE>` when the environment
   * has one (the local stand-ins), nothing otherwise (the SDK's own resolution, as in Lambda).
   */
  awsEndpoint(service: AwsService): { endpoint?: string };
  /** The SDK client with X-Ray capture (the client itself when tracing is off). */
  traced<T>(client: T): T;
  /** `fn` wrapped in the kit's middlewares: observability (and, for an Atlas worker, the Atlas session). */
  handler<TEvent, TResult>(
    fn: (event: TEvent, context: TContext) => Promise<TResult>,
  ): middy.MiddyfiedHandler<TEvent, TResult>;
}

/** A kit for a worker that does not call Atlas: observability and AWS clients. */
export function createWorkerKit(options: WorkerKitOptions): WorkerKit {
  return buildKit(options, createObservability(options.env), []);
}

/** The kit with `extra` middlewares after the observability ones (worker-kit.ts adds the Atlas session). */
export function buildKit<TContext extends Context>(
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

/** SDK client settings for `service` from `env` (see `WorkerKit.awsEndpoint`). */
export function endpointIn(
  env: Record<string, string | undefined>,
  service: AwsService,
): { endpoint?: string } {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`];
  return endpoint ? { endpoint } : {};
}

/** Wraps SDK clients in X-Ray capture, when tracing is on. */
export function tracedBy(tools: Observability): <T>(client: T) => T {
  return (client) => tools.tracing?.capture(client) ?? client;
}
