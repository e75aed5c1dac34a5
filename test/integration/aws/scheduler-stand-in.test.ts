/**
 * The EventBridge Scheduler stand-in (local/aws/scheduler.ts) through the real SchedulerClient over loopback
 * HTTP: one-time schedules fire when its clock reaches them, errors arrive as the SDK's typed exceptions,
 * failed deliveries are retried and dead-lettered, and the control endpoint moves the clock.
 */
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ScheduledDelivery,
  type SchedulerStandIn,
  type SchedulerStandInOptions,
  startSchedulerStandIn,
} from '../../../local/aws/scheduler.ts';

const HOUR = 3_600_000;
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:atlas-ops-operations';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:atlas-ops-operations-dlq';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/atlas-ops-scheduler';

const started: { standIn: SchedulerStandIn; client: SchedulerClient }[] = [];

afterEach(async () => {
  for (const { standIn, client } of started.splice(0)) {
    client.destroy();
    await standIn.close();
  }
});

/** A stand-in with no timer (unless asked), a client on it, and every delivery it asked for. */
async function start(options: Partial<SchedulerStandInOptions> = {}) {
  const deliveries: ScheduledDelivery[] = [];
  const deliver =
    options.deliver ??
    (async (delivery: ScheduledDelivery) => {
      deliveries.push(delivery);
    });
  const standIn = await startSchedulerStandIn({ pollMs: 0, ...options, deliver });
  const client = new SchedulerClient({
    region: 'us-east-1',
    endpoint: standIn.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  started.push({ standIn, client });
  return { standIn, client, deliveries };
}

/** `at(yyyy-mm-ddThh:mm:ss)` for `ms` after the stand-in's now, in UTC. */
const atIn = (standIn: SchedulerStandIn, ms: number) =>
  `at(${new Date(standIn.now().getTime() + ms).toISOString().slice(0, 19)})`;

const schedule = (
  name: string,
  expression: string,
  extra: Partial<CreateScheduleCommandInput> = {},
): CreateScheduleCommandInput => ({
  Name: name,
  ScheduleExpression: expression,
  FlexibleTimeWindow: { Mode: 'OFF' },
  Target: { Arn: QUEUE_ARN, RoleArn: ROLE_ARN, Input: '{"operationId":"op-1"}' },
  ActionAfterCompletion: 'DELETE',
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected a rejection');
  return error;
}

describe('the Scheduler stand-in', () => {
  it('fires a one-time schedule when its clock reaches it, then deletes it (DELETE)', async () => {
    // Prepare
    const { standIn, client, deliveries } = await start();
    const { ScheduleArn } = await client.send(
      new CreateScheduleCommand(schedule('retry-op-1', atIn(standIn, HOUR))),
    );

    // Act
    await standIn.advance(0);
    const before = deliveries.length;
    await standIn.advance(HOUR);

    // Assess
    expect(ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/retry-op-1');
    expect(before).toBe(0);
    expect(deliveries).toEqual([
      { arn: QUEUE_ARN, input: '{"operationId":"op-1"}', scheduleName: 'retry-op-1', groupName: 'default' },
    ]);
    expect(standIn.schedules()).toEqual([]);
    expect(standIn.fired()).toEqual([
      expect.objectContaining({ scheduleName: 'retry-op-1', outcome: 'DELIVERED', attempts: 1 }),
    ]);
    const gone = await rejection(client.send(new GetScheduleCommand({ Name: 'retry-op-1' })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('answers GetSchedule as the SDK’s GetScheduleOutput, AWS’s defaults filled in', async () => {
    // Prepare
    const { standIn, client } = await start();
    const expression = atIn(standIn, HOUR);
    await client.send(
      new CreateScheduleCommand(
        schedule('described', expression, { Description: 'retry later', ActionAfterCompletion: undefined }),
      ),
    );

    // Act
    const output = await client.send(new GetScheduleCommand({ Name: 'described', GroupName: 'default' }));

    // Assess
    expect(output).toMatchObject({
      Arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/described',
      Name: 'described',
      GroupName: 'default',
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'UTC',
      Description: 'retry later',
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: QUEUE_ARN,
        RoleArn: ROLE_ARN,
        Input: '{"operationId":"op-1"}',
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      },
    });
    expect(output.CreationDate).toBeInstanceOf(Date);
    expect(output.LastModificationDate).toBeInstanceOf(Date);
  });

  it('keeps a completed schedule marked DONE with ActionAfterCompletion NONE, and never fires it again', async () => {
    // Prepare
    const { standIn, client, deliveries } = await start();
    await client.send(
      new CreateScheduleCommand(schedule('kept', atIn(standIn, 60_000), { ActionAfterCompletion: 'NONE' })),
    );

    // Act
    await standIn.advance(60_000);
    await standIn.advance(HOUR);

    // Assess
    expect(deliveries).toHaveLength(1);
    expect(standIn.schedules()).toEqual([
      expect.objectContaining({ name: 'kept', status: 'DONE', attempts: 1, actionAfterCompletion: 'NONE' }),
    ]);
    expect((await client.send(new GetScheduleCommand({ Name: 'kept' }))).Name).toBe('kept');
  });

  it('answers ConflictException for a name that exists in the group, not for another group', async () => {
    // Prepare
    const { standIn, client } = await start({ groups: ['retries'] });
    const expression = atIn(standIn, HOUR);
    await client.send(new CreateScheduleCommand(schedule('twice', expression)));

    // Act
    const conflict = await rejection(client.send(new CreateScheduleCommand(schedule('twice', expression))));
    const other = await client.send(
      new CreateScheduleCommand(schedule('twice', expression, { GroupName: 'retries' })),
    );

    // Assess
    expect(conflict.name).toBe('ConflictException');
    expect(conflict.message).toBe('Schedule twice already exists.');
    expect(other.ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/retries/twice');
  });

  it('answers ResourceNotFoundException for an unknown schedule or group', async () => {
    // Prepare
    const { standIn, client } = await start();
    const update = schedule('nobody', atIn(standIn, HOUR));

    // Act
    const errors = await Promise.all([
      rejection(client.send(new GetScheduleCommand({ Name: 'nobody' }))),
      rejection(client.send(new DeleteScheduleCommand({ Name: 'nobody' }))),
      rejection(client.send(new UpdateScheduleCommand(update))),
      rejection(client.send(new CreateScheduleCommand({ ...update, GroupName: 'no-such-group' }))),
    ]);

    // Assess
    expect(errors.map((e) => e.name)).toEqual([
      'ResourceNotFoundException',
      'ResourceNotFoundException',
      'ResourceNotFoundException',
      'ResourceNotFoundException',
    ]);
    expect(errors[3]?.message).toBe('Schedule group no-such-group does not exist.');
  });

  it('refuses recurring expressions, other time zones and missing fields with ValidationException', async () => {
    // Prepare
    const { standIn, client } = await start();
    const at = atIn(standIn, HOUR);

    // Act
    const errors = await Promise.all([
      rejection(client.send(new CreateScheduleCommand(schedule('rate', 'rate(5 minutes)')))),
      rejection(client.send(new CreateScheduleCommand(schedule('cron', 'cron(0 9 * * ? *)')))),
      rejection(client.send(new CreateScheduleCommand(schedule('feb30', 'at(2030-02-30T10:00:00)')))),
      rejection(
        client.send(
          new CreateScheduleCommand(schedule('berlin', at, { ScheduleExpressionTimezone: 'Europe/Berlin' })),
        ),
      ),
      rejection(
        client.send(
          new CreateScheduleCommand(schedule('norole', at, { Target: { Arn: QUEUE_ARN, RoleArn: 'x' } })),
        ),
      ),
    ]);

    // Assess
    expect(errors.map((e) => e.name)).toEqual(Array(5).fill('ValidationException'));
    expect(errors[0]?.message).toMatch(/^ScheduleExpression "rate\(5 minutes\)" is not supported/);
    expect(errors[1]?.message).toMatch(/^ScheduleExpression /);
    expect(errors[2]?.message).toMatch(/not a valid date/);
    expect(errors[3]?.message).toMatch(/^ScheduleExpressionTimezone "Europe\/Berlin"/);
    expect(errors[4]?.message).toMatch(/^Target\.RoleArn/);
    expect(standIn.schedules()).toEqual([]);
  });

  it('replaces a schedule on UpdateSchedule and forgets it on DeleteSchedule', async () => {
    // Prepare
    const { standIn, client, deliveries } = await start();
    await client.send(new CreateScheduleCommand(schedule('moved', atIn(standIn, HOUR))));
    await client.send(new CreateScheduleCommand(schedule('dropped', atIn(standIn, HOUR))));

    // Act
    await client.send(new UpdateScheduleCommand(schedule('moved', atIn(standIn, 2 * HOUR))));
    await client.send(new DeleteScheduleCommand({ Name: 'dropped', GroupName: 'default' }));
    await standIn.advance(HOUR);
    const afterOneHour = deliveries.length;
    await standIn.advance(HOUR);

    // Assess
    expect(afterOneHour).toBe(0);
    expect(deliveries.map((d) => d.scheduleName)).toEqual(['moved']);
  });

  it('lists schedules by group and name prefix', async () => {
    // Prepare
    const { standIn, client } = await start({ groups: ['other'] });
    const at = atIn(standIn, HOUR);
    for (const name of ['retry-a', 'retry-b', 'cleanup']) {
      await client.send(new CreateScheduleCommand(schedule(name, at)));
    }
    await client.send(new CreateScheduleCommand(schedule('retry-c', at, { GroupName: 'other' })));

    // Act
    const { Schedules } = await client.send(
      new ListSchedulesCommand({ GroupName: 'default', NamePrefix: 'retry-' }),
    );

    // Assess
    expect(Schedules?.map((s) => [s.Name, s.GroupName, s.Target?.Arn])).toEqual([
      ['retry-a', 'default', QUEUE_ARN],
      ['retry-b', 'default', QUEUE_ARN],
    ]);
  });

  it('retries a failing delivery on each tick, then dead-letters it when the RetryPolicy runs out', async () => {
    // Prepare
    const calls: ScheduledDelivery[] = [];
    const { standIn, client } = await start({
      deliver: async (delivery) => {
        calls.push(delivery);
        if (delivery.arn === QUEUE_ARN)
          throw Object.assign(new Error('no queue'), { name: 'QueueDoesNotExist' });
      },
    });
    await client.send(
      new CreateScheduleCommand(
        schedule('flaky', atIn(standIn, 1000), {
          Target: {
            Arn: QUEUE_ARN,
            RoleArn: ROLE_ARN,
            Input: 'payload',
            RetryPolicy: { MaximumRetryAttempts: 2 },
            DeadLetterConfig: { Arn: DLQ_ARN },
          },
        }),
      ),
    );

    // Act
    await standIn.advance(1000);
    const afterFirst = standIn.schedules();
    await standIn.advance(0);
    await standIn.advance(0);

    // Assess
    expect(afterFirst).toEqual([
      expect.objectContaining({
        name: 'flaky',
        status: 'PENDING',
        attempts: 1,
        lastError: 'QueueDoesNotExist',
      }),
    ]);
    expect(calls.map((c) => c.arn)).toEqual([QUEUE_ARN, QUEUE_ARN, QUEUE_ARN, DLQ_ARN]);
    expect(calls[3]).toEqual({
      arn: DLQ_ARN,
      input: 'payload',
      scheduleName: 'flaky',
      groupName: 'default',
      deadLetter: {
        scheduleArn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/flaky',
        targetArn: QUEUE_ARN,
        attempts: 3,
        exhaustedRetryCondition: 'MaximumRetryAttemptsExceeded',
        errorCode: 'QueueDoesNotExist',
      },
    });
    expect(standIn.schedules()).toEqual([]);
    expect(standIn.fired()).toEqual([expect.objectContaining({ outcome: 'DEAD_LETTERED', attempts: 3 })]);
  });

  it('never fires a DISABLED schedule', async () => {
    // Prepare
    const { standIn, client, deliveries } = await start();
    await client.send(new CreateScheduleCommand(schedule('off', atIn(standIn, 1000), { State: 'DISABLED' })));

    // Act
    await standIn.advance(HOUR);

    // Assess
    expect(deliveries).toEqual([]);
    expect(standIn.schedules()).toEqual([expect.objectContaining({ name: 'off', status: 'PENDING' })]);
  });

  it('fires due schedules from its timer too', async () => {
    // Prepare
    const { standIn, client, deliveries } = await start({ pollMs: 20 });

    // Act
    await client.send(new CreateScheduleCommand(schedule('now', atIn(standIn, -1000))));

    // Assess
    await vi.waitFor(() => expect(deliveries).toHaveLength(1), { timeout: 2000, interval: 20 });
    expect(deliveries[0]?.scheduleName).toBe('now');
  });

  it('moves the clock and lists schedules, without their Input, through the control endpoint', async () => {
    // Prepare
    const { standIn, client, deliveries } = await start();
    await client.send(new CreateScheduleCommand(schedule('later', atIn(standIn, 2 * HOUR))));
    await client.send(new CreateScheduleCommand(schedule('soon', atIn(standIn, HOUR))));
    const before = standIn.now().getTime();

    // Act
    const advanced = await fetch(`${standIn.endpoint}/__scheduler/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: HOUR }),
    });
    const advancedBody = (await advanced.json()) as { now: string };
    const listed = await fetch(`${standIn.endpoint}/__scheduler/schedules`);
    const listedText = await listed.text();
    const refused = await fetch(`${standIn.endpoint}/__scheduler/advance`, {
      method: 'POST',
      body: JSON.stringify({ ms: -5 }),
    });

    // Assess
    expect(advanced.status).toBe(200);
    expect(Date.parse(advancedBody.now) - before).toBeGreaterThanOrEqual(HOUR);
    expect(deliveries.map((d) => d.scheduleName)).toEqual(['soon']);
    expect(listed.status).toBe(200);
    const listedBody = JSON.parse(listedText) as {
      now: string;
      schedules: { name: string; status: string }[];
    };
    expect(listedBody.schedules.map((s) => [s.name, s.status])).toEqual([['later', 'PENDING']]);
    expect(listedText).not.toContain('operationId');
    expect(refused.status).toBe(400);
  });
});
