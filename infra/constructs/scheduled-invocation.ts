import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { type Alarm, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { withArticle } from './text.ts';
import {
  ALARM_PERIOD,
  deadLetterAlarm,
  logicalIdOf,
  type WorkerFunction,
  workerAlarm,
} from './worker-function.ts';

/** Lambda's timeout when a function sets none. */
const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);

export interface ScheduledInvocationProps {
  /** EventBridge Scheduler expression, UTC: `rate(6 hours)`, `cron(0 6 * * ? *)`. */
  readonly schedule: string;
  /** The schedule's description, e.g. `atlas-ops: run the Atlas cluster inventory`. */
  readonly description: string;
  /** What the function is called in descriptions and alarm texts: `inventory` → "the inventory function". */
  readonly label: string;
}

/**
 * An EventBridge Scheduler schedule that invokes a worker's function: in a schedule group of its own (so the
 * group's metrics are this schedule's alone), through a role only that group may assume and that may invoke
 * only this function, with 2 retries within an hour and then a dead-letter queue. Two alarms, added to the
 * worker's: an event in the dead-letter queue, and an invocation lost even to the dead-letter queue.
 *
 * The scheduler invokes Lambda asynchronously, so these retries and the dead-letter queue concern delivery
 * only (throttled, function missing, permission denied): once Lambda accepts the event, a run that fails is
 * retried by Lambda's own asynchronous retries (the function's `retryAttempts`), not by the schedule.
 *
 * Create it as a child of the worker's `WorkerFunction` with the id `Default`: the worker's function is
 * itself its worker's `Default` child, and CDK leaves `Default` out of logical ids, so these resources get
 * the logical ids of direct children of the worker (`InventoryScheduleGroup…`).
 *
 * @example new ScheduledInvocation(worker, 'Default', { schedule: 'rate(6 hours)', description, label: 'inventory' })
 */
export class ScheduledInvocation extends Construct {
  readonly schedule: Schedule;
  readonly scheduleGroup: ScheduleGroup;
  /** The role the scheduler invokes the function with. */
  readonly role: Role;
  /** Invocations the scheduler could not deliver after its retries. */
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly deliveryAlarm: Alarm;

  constructor(worker: WorkerFunction, id: string, props: ScheduledInvocationProps) {
    super(worker, id);
    const target = worker.function;
    const timeout = target.timeout ?? LAMBDA_DEFAULT_TIMEOUT;
    const parsed = parseScheduleExpression(props.schedule);
    if (mayOverlap(parsed, timeout)) {
      throw new Error(
        `ScheduledInvocation: schedule ${props.schedule} is shorter than the function timeout ` +
          `(${timeout.toHumanString()}); runs could overlap`,
      );
    }

    this.deadLetterQueue = new Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        `This queue is the dead-letter queue of the ${props.label} schedule; a dead-letter queue for it would ` +
        'be infinite regress. It has its own alarm.',
    });

    // Its own group, so the group's Scheduler metrics (alarmed on below) are this schedule's alone.
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup');
    // The target would otherwise create a stack-level role; owning it here keeps its acknowledgement
    // next to it. Same trust as CDK's: only schedules of this account's group may assume it.
    this.role = new Role(this, 'ScheduleRole', {
      description: `atlas-ops: lets EventBridge Scheduler invoke the ${props.label} function`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Stack.of(this).account,
            'aws:SourceArn': this.scheduleGroup.scheduleGroupArn,
          },
        },
      }),
    });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalIdOf(target)}.Arn>:*]`,
      reason:
        `lambda:InvokeFunction on the ${props.label} function and its versions/aliases (\`:*\`), as ` +
        'LambdaInvoke grants it; no other function.',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: props.description,
      schedule: parsed.expression,
      scheduleGroup: this.scheduleGroup,
      target: new LambdaInvoke(target, {
        role: this.role,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });

    const period = ALARM_PERIOD;
    this.deadLetterAlarm = worker.addAlarm(
      deadLetterAlarm(
        this,
        this.deadLetterQueue,
        `The scheduler could not invoke the ${props.label} function after its retries; ` +
          'the event is in the dead-letter queue.',
      ),
    );
    this.deliveryAlarm = worker.addAlarm(
      workerAlarm(this, 'ScheduleDeliveryAlarm', {
        metric: new MathExpression({
          // Invocations the scheduler gave up on that did not reach the dead-letter queue either.
          expression: 'FILL(dropped, 0) + FILL(dlqFailed, 0)',
          usingMetrics: {
            dropped: this.scheduleGroup.metricDropped({ period }),
            dlqFailed: this.scheduleGroup.metricFailedToBeSentToDLQ(undefined, { period }),
          },
          period,
          label: 'Scheduled invocations lost',
        }),
        description: `${withArticle(props.label, { capital: true })} invocation was dropped and could not be sent to the dead-letter queue.`,
      }),
    );
  }
}

/** An EventBridge Scheduler expression, checked; `everyMinutes` is set for rate expressions. */
export interface ParsedSchedule {
  readonly expression: ScheduleExpression;
  readonly everyMinutes?: number;
}

const RATE_UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/**
 * Checks a recurring EventBridge Scheduler expression and converts it.
 * @example parseScheduleExpression('rate(6 hours)').everyMinutes // 360
 */
export function parseScheduleExpression(text: string): ParsedSchedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    const singular = unit.replace(/s$/, '');
    if (value < 1 || (value === 1) !== (unit === singular)) {
      throw new Error(
        `Invalid schedule '${text}': use a positive number with a singular unit for 1 ('rate(1 hour)') and a plural one otherwise ('rate(6 hours)')`,
      );
    }
    return {
      expression: ScheduleExpression.expression(text),
      everyMinutes: value * (RATE_UNIT_MINUTES[singular] ?? Number.NaN),
    };
  }
  const cron = /^cron\((.+)\)$/.exec(text);
  if (cron && (cron[1] ?? '').trim().split(/\s+/).length === 6) {
    return { expression: ScheduleExpression.expression(text) };
  }
  throw new Error(
    `Invalid schedule '${text}': expected 'rate(<n> minutes|hours|days)' or a six-field 'cron(...)' expression (UTC)`,
  );
}

/**
 * True when a rate schedule fires more often than one run may last, so runs could overlap (a cron
 * expression's spacing is not checked).
 * @example mayOverlap(parseScheduleExpression('rate(2 minutes)'), Duration.minutes(5)) // true
 */
export function mayOverlap(schedule: ParsedSchedule, timeout: Duration): boolean {
  return schedule.everyMinutes !== undefined && schedule.everyMinutes * 60 < timeout.toSeconds();
}
