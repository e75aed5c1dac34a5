/**
 * Observability for every worker: one Powertools Logger and Metrics per container, X-Ray tracing when it is
 * on, and the middy middlewares that give each invocation its trace segment, its Lambda context in every log
 * line (keys of the previous invocation dropped) and its metrics flushed with a cold-start metric.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MiddlewareObj } from '@middy/core';
import { mapStackTracesToSources } from './stack-traces.ts';
import type { Tracing } from './xray-tracing.ts';

/**
 * Whether X-Ray tracing is on: as the Powertools Tracer decides, `POWERTOOLS_TRACE_ENABLED` other than
 * `false` (WorkerFunction sets it from the stack's `tracing` setting).
 */
export function tracingEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

// Loaded at init, and only when tracing is on: a function deployed without tracing never evaluates the
// X-Ray SDK. Awaited here, so that the rest of this module stays synchronous.
const xray = tracingEnabled() ? await import('./xray-tracing.ts') : undefined;

// In a function's bundle, every error's stack names the sources (the map is read when one is first formatted).
mapStackTracesToSources();

/** The Powertools utilities a worker logs and measures with, and its tracing when tracing is on. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracing: Tracing | undefined;
}

/**
 * Logger, Metrics and tracing configured from the Powertools environment (`POWERTOOLS_SERVICE_NAME`,
 * `POWERTOOLS_METRICS_NAMESPACE`, `POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_TRACE_ENABLED`), which the worker's
 * construct sets in AWS and the local stack sets on this machine. The service name is read from the worker's
 * own `env` (the process environment in Lambda): the local stack runs every worker in one process, each
 * named as it is deployed.
 */
export function createObservability(env: Record<string, string | undefined> = process.env): Observability {
  const serviceName = env.POWERTOOLS_SERVICE_NAME;
  const named = serviceName ? { serviceName } : {};
  return { logger: new Logger(named), metrics: new Metrics(named), tracing: xray?.createXRayTracing() };
}

/** The middlewares, outermost first: trace the invocation, add its context to log lines, flush its metrics. */
export function observability(tools: Observability): MiddlewareObj[] {
  return [
    ...(tools.tracing ? [tools.tracing.middleware] : []),
    injectLambdaContext(tools.logger, { resetKeys: true }),
    logMetrics(tools.metrics, { captureColdStartMetric: true }),
  ];
}
