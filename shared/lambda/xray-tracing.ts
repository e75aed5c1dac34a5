/**
 * X-Ray tracing through the Powertools Tracer: the invocation's segment and a subsegment per AWS SDK and HTTP
 * call. Its own module because the Tracer brings the X-Ray SDK (with cls-hooked and semver about 120 KB of a
 * bundle and 6–25 ms of a cold start here, UDP socket included; docs/cold-start.md): observability.ts loads it
 * only when tracing is on.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

/** What a worker traces with. */
export interface Tracing {
  /** Opens the invocation's segment (cold start and service annotations) and closes it. */
  readonly middleware: MiddlewareObj;
  /** `client` with a subsegment for each of its calls. */
  capture<T>(client: T): T;
}

/** A Tracer configured from the Powertools environment (`POWERTOOLS_SERVICE_NAME`, …), and its middleware. */
export function createXRayTracing(): Tracing {
  const tracer = new Tracer();
  return { middleware: captureLambdaHandler(tracer), capture: (client) => tracer.captureAWSv3Client(client) };
}
