/**
 * Observability for every worker: one Powertools Logger, Metrics and Tracer per container, and the middy
 * middlewares that give each invocation its trace segment, its Lambda context in every log line (keys of the
 * previous invocation dropped) and its metrics flushed with a cold-start metric.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

/** The three Powertools utilities a worker logs, measures and traces with. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/**
 * Logger, Metrics and Tracer configured from the Powertools environment (`POWERTOOLS_SERVICE_NAME`,
 * `POWERTOOLS_METRICS_NAMESPACE`, `POWERTOOLS_LOG_LEVEL`, `POWERTOOLS_TRACE_ENABLED`), which the worker's
 * construct sets in AWS and the local stack sets on this machine.
 */
export function createObservability(): Observability {
  return { logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() };
}

/** The middlewares, outermost first: trace the invocation, add its context to log lines, flush its metrics. */
export function observability(tools: Observability): MiddlewareObj[] {
  return [
    captureLambdaHandler(tools.tracer),
    injectLambdaContext(tools.logger, { resetKeys: true }),
    logMetrics(tools.metrics, { captureColdStartMetric: true }),
  ];
}
