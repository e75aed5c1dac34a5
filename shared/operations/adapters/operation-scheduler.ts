/**
 * The operation scheduler on EventBridge Scheduler: one one-time schedule (`at(…)`, UTC) per later operation,
 * in the stack's schedule group, whose target is the provisioning queue (SQS SendMessage with the message as
 * its input, sent by a role the scheduler assumes) and which deletes itself after it fires
 * (`ActionAfterCompletion: DELETE`).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { OperationScheduler, PendingEnd, ScheduledMessage } from '../ports.ts';
import { safeName } from '../temporary-access.ts';

export interface EventBridgeOperationSchedulerOptions {
  client: SchedulerClient;
  /** The schedule group the stack made for them. */
  group: string;
  /** The provisioning queue's ARN: where a schedule puts its message. */
  queueArn: string;
  /** The role EventBridge Scheduler assumes to send to the queue. */
  roleArn: string;
}

/** Schedule names: letters, digits, `.`, `_`, `-`, at most 64 characters. */
const MAX_NAME = 64;

export class EventBridgeOperationScheduler implements OperationScheduler {
  readonly #options: EventBridgeOperationSchedulerOptions;

  constructor(options: EventBridgeOperationSchedulerOptions) {
    this.#options = options;
  }

  async scheduleAt(
    name: string,
    at: Date,
    message: ScheduledMessage,
    options: { replace: boolean },
  ): Promise<boolean> {
    const schedule = {
      Name: scheduleName(name),
      GroupName: this.#options.group,
      // `at()` takes a time without a zone or seconds fraction, read in ScheduleExpressionTimezone.
      ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      Description: `atlas-ops: ${message.type} of ${message.id}`.slice(0, 512),
      Target: { Arn: this.#options.queueArn, RoleArn: this.#options.roleArn, Input: JSON.stringify(message) },
    };
    try {
      await this.#options.client.send(new CreateScheduleCommand(schedule));
      return true;
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      if (!options.replace) return false;
      await this.#options.client.send(new UpdateScheduleCommand(schedule));
      return true;
    }
  }

  async pending(): Promise<PendingEnd[]> {
    const { client, group } = this.#options;
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new ListSchedulesCommand({ GroupName: group, NextToken, State: 'ENABLED' }),
      );
      names.push(...(page.Schedules ?? []).flatMap((schedule) => (schedule.Name ? [schedule.Name] : [])));
      NextToken = page.NextToken;
    } while (NextToken);
    const ends: PendingEnd[] = [];
    for (const name of names) {
      try {
        const schedule = await client.send(new GetScheduleCommand({ Name: name, GroupName: group }));
        const at = /^at\((.+)\)$/.exec(schedule.ScheduleExpression ?? '')?.[1];
        const input = schedule.Target?.Input;
        if (!at || !input) continue;
        ends.push({ name, at: new Date(`${at}Z`), message: JSON.parse(input) as ScheduledMessage });
      } catch (error) {
        // Fired (and deleted itself) between the list and the read.
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }
    return ends.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  async cancel(name: string): Promise<boolean> {
    try {
      await this.#options.client.send(
        new DeleteScheduleCommand({ Name: scheduleName(name), GroupName: this.#options.group }),
      );
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }
}

/** A schedule name for `name`: letters, digits, `.`, `_`, `-`, at most 64 characters (../temporary-access.ts). */
export function scheduleName(name: string): string {
  return safeName(name, MAX_NAME);
}
