import { Duration } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { ScheduleTrigger, WorkerEnvSchema } from '../../shared/lambda/worker-manifest.ts';
import type { WorkerQueue } from './deployed-worker.ts';
import { ManifestWorker, type ManifestWorkerProps } from './manifest-worker-base.ts';
import { propChecks } from './prop-checks.ts';
import { ScheduledInvocation } from './scheduled-invocation.ts';
import { withArticle } from './text.ts';
import { ALARM_PERIOD, type WorkerEnvironment, type WorkerFunction, workerAlarm } from './worker-function.ts';

/** A run that takes this share of its timeout raises the duration alarm: the next may not finish. */
const NEAR_TIMEOUT = 0.8;

/** What the stack may change of a scheduled worker's manifest defaults. */
export interface ScheduledWorkerSettings {
  /** EventBridge Scheduler expression, UTC: `rate(6 hours)`, `cron(0 6 * * ? *)`. @default the manifest's */
  readonly schedule?: string;
  /** Time one run may take. @default the manifest's `timeoutSeconds` */
  readonly timeout?: Duration;
  /** @default the manifest's `memoryMb` */
  readonly memorySize?: number;
}

export type ScheduledWorkerProps<Schema extends WorkerEnvSchema> = ManifestWorkerProps<Schema> &
  ScheduledWorkerSettings & {
    /** The worker's own variables; WorkerFunction adds the common ones. */
    readonly environment: WorkerEnvironment<Schema>;
    /** The schedule's description. @default `atlas-ops: run the <title>` */
    readonly scheduleDescription?: string;
    /** Said after the duration alarm's description, e.g. what to raise. @default nothing */
    readonly nearTimeoutAdvice?: string;
  };

/**
 * A worker an EventBridge Scheduler schedule runs: the function (WorkerFunction) with Lambda's asynchronous
 * retries from the manifest (and reserved concurrency 1 when the manifest asks for one run at a time), the
 * schedule with its own group, role, retries and dead-letter queue (ScheduledInvocation), and an alarm when a
 * run takes 80% of its timeout.
 *
 * Retries: the scheduler invokes Lambda asynchronously, so its retries and dead-letter queue cover only an
 * invocation Lambda did not accept. A run that fails once accepted is retried by Lambda alone, `retryAttempts`
 * times, 1 minute and then 2 minutes after a failure; a worker is declared retryable only when a rerun is safe
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 *
 * Create it with the id `Default` inside the worker's own construct: its resources then keep the logical ids
 * of direct children of that construct.
 */
export class ScheduledWorker<Schema extends WorkerEnvSchema = WorkerEnvSchema> extends ManifestWorker<
  Schema,
  ScheduleTrigger
> {
  readonly worker: WorkerFunction<Schema>;
  readonly scheduledInvocation: ScheduledInvocation;
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: ScheduledWorkerProps<Schema>) {
    super(scope, id, props.manifest, 'schedule');
    const { manifest, trigger } = this;
    const { integer, duration } = propChecks(this.owner);
    this.timeout = duration(
      'timeout',
      props.timeout ?? Duration.seconds(manifest.timeoutSeconds),
      Duration.seconds(1),
      Duration.minutes(15),
    );
    const label = manifest.title.toLowerCase();

    this.worker = this.createFunction(props, {
      timeout: this.timeout,
      memorySize: integer('memorySize', props.memorySize ?? manifest.memoryMb, 128, 10_240),
      environment: props.environment,
      retryAttempts: trigger.retryAttempts,
      // Reserved concurrency 1 keeps runs apart without a lock: both triggers invoke asynchronously, and Lambda
      // keeps an event it throttles and retries it (for up to six hours, the event's maximum age) rather than
      // dropping it, so the second run starts when the first ends. The cost is one execution of the account's
      // unreserved pool. Otherwise none: runs hours apart cannot pile up (the schedule is checked against the
      // timeout), and a reservation could fail the deployment in an account at its limit.
      ...(trigger.oneRunAtATime ? { reservedConcurrentExecutions: 1 } : {}),
      errorsAlarmDescription: `${withArticle(label, { capital: true })} run failed (see the function log group).`,
    });

    // A child of the function's construct with the id `Default`: its resources keep the logical ids of
    // direct children of the worker's construct (see ScheduledInvocation).
    this.scheduledInvocation = new ScheduledInvocation(this.worker, 'Default', {
      schedule: props.schedule ?? trigger.schedule,
      description: props.scheduleDescription ?? `atlas-ops: run the ${label}`,
      label,
    });

    this.worker.addAlarm(
      workerAlarm(this, 'DurationNearTimeoutAlarm', {
        metric: this.function.metricDuration({ period: ALARM_PERIOD, statistic: Stats.MAXIMUM }),
        description:
          `${withArticle(label, { capital: true })} run took at least ${NEAR_TIMEOUT * 100}% of the ` +
          `${this.timeout.toHumanString()} timeout${props.nearTimeoutAdvice ? `; ${props.nearTimeoutAdvice}` : ''}.`,
        threshold: Math.floor(this.timeout.toMilliseconds() * NEAR_TIMEOUT),
      }),
    );
  }

  get queues(): readonly WorkerQueue[] {
    return [{ title: 'Schedule dead-letter queue', queue: this.scheduledInvocation.deadLetterQueue }];
  }
}
