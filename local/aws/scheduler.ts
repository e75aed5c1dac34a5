/**
 * An EventBridge Scheduler stand-in for tests and the local stack, for ONE-TIME schedules only. No Scheduler
 * emulator exists on npm: reference/local-aws.md covers SQS, Secrets Manager, DynamoDB, S3 and a Lambda front
 * but no Scheduler, and the package list names only serverless-offline-scheduler (runs a Serverless
 * project's `schedule` events, no API) and serverless-offline-aws-eventbridge (event buses, and a plugin of
 * serverless-offline, which local-aws.md rejects). So, as for Secrets Manager, we speak the protocol ourselves.
 *
 * It speaks the restJson1 protocol of `@aws-sdk/client-scheduler` (checked against 3.1164.0's schemas):
 * CreateSchedule (`POST /schedules/{Name}`), UpdateSchedule (`PUT`), GetSchedule (`GET ?groupName=`),
 * DeleteSchedule (`DELETE ?groupName=&clientToken=`) and ListSchedules (`GET /schedules?ScheduleGroup=
 * &NamePrefix=&State=&MaxResults=&NextToken=`). Timestamps are epoch seconds; errors carry the
 * `x-amzn-errortype` header and a `{"Message"}` body, so the client throws its typed ConflictException (409),
 * ResourceNotFoundException (404) and ValidationException (400). Schedule groups are not an API here: only
 * `default` and the `groups` option exist, any other group answers ResourceNotFoundException as in AWS.
 *
 * It refuses with ValidationException: any expression but `at(yyyy-mm-ddThh:mm:ss)` (rate() and cron() are
 * out of scope), a time zone other than UTC, and missing or malformed fields AWS requires (Name,
 * FlexibleTimeWindow, Target.Arn, Target.RoleArn, ...). It keeps but ignores StartDate and EndDate (AWS
 * ignores them for one-time schedules too), KmsKeyArn, and every target parameter but SqsParameters. No IAM:
 * RoleArn is only checked to be an ARN. No tags, no schedule-group API.
 *
 * Time: its clock is real time plus an offset. `advance(ms)` moves the offset forward, then fires every
 * schedule now due before it resolves; a timer (`pollMs`, unref'd) fires due schedules too. AWS fires within
 * the minute (or within the flexible window); we fire as soon as the time is reached, so FLEXIBLE fires at
 * the start of its window, and an `at()` already in the past fires on the next tick. A DISABLED schedule
 * never fires. Firing calls `options.deliver` (the local stack sends the Input to the SQS queue of
 * Target.Arn), one schedule at a time, in due order; then ActionAfterCompletion DELETE removes the schedule
 * and NONE (AWS's default) keeps it, marked DONE.
 *
 * Retries: when `deliver` throws, the schedule stays and is tried again on each later tick or advance, with
 * no backoff (AWS backs off exponentially with jitter). Target.RetryPolicy bounds it as in AWS (defaults 185
 * retries, 86,400 s of event age, on the stand-in clock): once spent, the Input goes to
 * Target.DeadLetterConfig.Arn through `deliver` (with `deadLetter` set) if there is one, else it is dropped,
 * and the schedule completes (FAILED) as above. Attempts and the last error's name show in `schedules()`.
 *
 * It never logs, and never shows an Input outside GetSchedule and `deliver`: `schedules()`, `fired()` and
 * the control endpoint leave it out. The control endpoint, for humans and the CLI: `POST /__scheduler/advance`
 * `{"ms": N}` → `{"now"}`, `GET /__scheduler/schedules` → `{"now", "schedules"}`, `GET /__scheduler/fired` →
 * `{"now", "fired"}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './json-response.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const MAX_BODY_BYTES = 256 * 1024;
const DEFAULT_GROUP = 'default';
const DEFAULT_POLL_MS = 250;
/** AWS's defaults when a target has no RetryPolicy (and the upper bounds it accepts). */
const DEFAULT_MAX_RETRY_ATTEMPTS = 185;
const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;
const NAME_PATTERN = /^[0-9a-zA-Z_.-]{1,64}$/;
const AT_PATTERN = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const MAX_INPUT_CHARS = 8192;

/** Why the retries of a delivery ended, as AWS names it in a dead letter's attributes. */
export type ExhaustedRetryCondition = 'MaximumRetryAttemptsExceeded' | 'MaximumEventAgeExceeded';

/** What a dead-letter delivery carries besides the Input (AWS puts these in message attributes). */
export interface DeadLetterDetails {
  scheduleArn: string;
  /** The Target.Arn that could not be reached. */
  targetArn: string;
  /** Deliveries tried, the first one included. */
  attempts: number;
  exhaustedRetryCondition: ExhaustedRetryCondition;
  /** The `name` of the last error `deliver` threw, e.g. `QueueDoesNotExist`. */
  errorCode: string;
}

/** One delivery the stand-in asks for: send `input` to the resource `arn`. */
export interface ScheduledDelivery {
  /** Target.Arn, or Target.DeadLetterConfig.Arn when `deadLetter` is set. */
  arn: string;
  /** Target.Input as given; undefined when the schedule has none. */
  input: string | undefined;
  scheduleName: string;
  groupName: string;
  /** Target.SqsParameters.MessageGroupId, for a FIFO queue. */
  messageGroupId?: string;
  /** Set only on the dead-letter delivery after the retries ran out. */
  deadLetter?: DeadLetterDetails;
}

export interface SchedulerStandInOptions {
  /** Sends one delivery; a rejection counts as a failed attempt, retried on the next tick. */
  deliver(delivery: ScheduledDelivery): Promise<void>;
  /** How often the timer fires due schedules, in ms (default 250). 0: no timer, only `advance` fires. */
  pollMs?: number;
  /** Schedule groups that exist besides `default` (this stand-in has no CreateScheduleGroup). */
  groups?: readonly string[];
}

/** A schedule as `schedules()` and the control endpoint show it (never with its Input). */
export interface ScheduleView {
  name: string;
  groupName: string;
  arn: string;
  scheduleExpression: string;
  /** When it fires, on the stand-in clock. */
  dueAt: Date;
  state: 'ENABLED' | 'DISABLED';
  actionAfterCompletion: 'NONE' | 'DELETE';
  targetArn: string;
  /** DONE and FAILED are seen only with ActionAfterCompletion NONE: DELETE removes the schedule. */
  status: 'PENDING' | 'DONE' | 'FAILED';
  /** Deliveries tried so far, failed ones included. */
  attempts: number;
  /** The `name` of the last error `deliver` threw, while it retries or after it gave up. */
  lastError?: string;
  createdAt: Date;
}

/** A schedule that completed: delivered, or given up on. */
export interface FiredSchedule {
  scheduleName: string;
  groupName: string;
  scheduleArn: string;
  targetArn: string;
  dueAt: Date;
  /** When it completed, on the stand-in clock. */
  firedAt: Date;
  attempts: number;
  /** DEAD_LETTERED / DROPPED: the retries ran out, with / without a dead-letter queue that took it. */
  outcome: 'DELIVERED' | 'DEAD_LETTERED' | 'DROPPED';
}

export interface SchedulerStandIn {
  /** e.g. `http://127.0.0.1:40123`: pass it as the SchedulerClient's `endpoint`. */
  endpoint: string;
  /** Stops the timer, waits for a delivery under way, and closes the server. */
  close(): Promise<void>;
  /** Moves the clock forward by `ms` (≥ 0), then fires every schedule due by then. */
  advance(ms: number): Promise<void>;
  /** The stand-in clock: real time plus every `advance` so far. */
  now(): Date;
  /** Every schedule it holds, by group and name. */
  schedules(): ScheduleView[];
  /** Completed schedules, oldest first. */
  fired(): FiredSchedule[];
}

interface RetryPolicy {
  MaximumRetryAttempts: number;
  MaximumEventAgeInSeconds: number;
}

/** Target as stored: the known fields checked, the others kept as sent. */
interface Target extends Record<string, unknown> {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy?: Partial<RetryPolicy>;
  DeadLetterConfig?: { Arn?: string };
  SqsParameters?: { MessageGroupId?: string };
}

interface StoredSchedule {
  name: string;
  groupName: string;
  arn: string;
  expression: string;
  dueAt: number;
  state: 'ENABLED' | 'DISABLED';
  actionAfterCompletion: 'NONE' | 'DELETE';
  flexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  target: Target;
  description?: string;
  startDate?: number;
  endDate?: number;
  kmsKeyArn?: string;
  clientToken?: string;
  createdAt: number;
  modifiedAt: number;
  status: 'PENDING' | 'DONE' | 'FAILED';
  attempts: number;
  lastError?: string;
}

/** A failure in the shape the SDK turns into its typed exception (`x-amzn-errortype` → class). */
class ServiceError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, status: number, message: string) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

const invalid = (message: string) => new ServiceError('ValidationException', 400, message);

/** Starts the stand-in on 127.0.0.1 and a free port. */
export async function startSchedulerStandIn(options: SchedulerStandInOptions): Promise<SchedulerStandIn> {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  if (!Number.isFinite(pollMs) || pollMs < 0) throw new Error('pollMs must be a number of ms, 0 or more');
  const groups = new Set([DEFAULT_GROUP, ...(options.groups ?? [])]);
  const schedules = new Map<string, StoredSchedule>();
  const fired: FiredSchedule[] = [];
  let offsetMs = 0;
  const clock = () => Date.now() + offsetMs;

  // Firing runs one pass at a time: a tick and an advance never deliver the same schedule twice.
  let firing: Promise<void> = Promise.resolve();
  let tickQueued = false;
  let closed = false;
  const fireDue = (): Promise<void> => {
    firing = firing.then(runDue);
    return firing;
  };

  async function runDue(): Promise<void> {
    const at = clock();
    const due = [...schedules.values()]
      .filter((s) => s.status === 'PENDING' && s.state === 'ENABLED' && s.dueAt <= at)
      .sort((a, b) => a.dueAt - b.dueAt || a.createdAt - b.createdAt);
    for (const schedule of due) {
      if (closed) return;
      // An earlier delivery in this pass may have let a client delete or replace it.
      if (isCurrent(schedule)) await attempt(schedule);
    }
  }

  const keyOf = (groupName: string, name: string) => `${groupName}/${name}`;
  const isCurrent = (schedule: StoredSchedule) =>
    schedules.get(keyOf(schedule.groupName, schedule.name)) === schedule;

  async function attempt(schedule: StoredSchedule): Promise<void> {
    schedule.attempts += 1;
    const { target } = schedule;
    try {
      await options.deliver(deliveryOf(schedule, target.Arn));
    } catch (error) {
      if (!isCurrent(schedule)) return; // deleted or replaced meanwhile: nothing left to retry
      schedule.lastError = errorName(error);
      const retry = retryPolicyOf(target);
      const exhausted: ExhaustedRetryCondition | undefined =
        schedule.attempts > retry.MaximumRetryAttempts
          ? 'MaximumRetryAttemptsExceeded'
          : clock() - schedule.dueAt > retry.MaximumEventAgeInSeconds * 1000
            ? 'MaximumEventAgeExceeded'
            : undefined;
      if (!exhausted) return; // tried again on the next tick
      complete(schedule, 'FAILED', await deadLetter(schedule, exhausted));
      return;
    }
    complete(schedule, 'DONE', 'DELIVERED');
  }

  async function deadLetter(
    schedule: StoredSchedule,
    exhaustedRetryCondition: ExhaustedRetryCondition,
  ): Promise<FiredSchedule['outcome']> {
    const arn = schedule.target.DeadLetterConfig?.Arn;
    if (!arn) return 'DROPPED';
    try {
      await options.deliver({
        ...deliveryOf(schedule, arn),
        deadLetter: {
          scheduleArn: schedule.arn,
          targetArn: schedule.target.Arn,
          attempts: schedule.attempts,
          exhaustedRetryCondition,
          errorCode: schedule.lastError ?? 'Error',
        },
      });
      return 'DEAD_LETTERED';
    } catch {
      // AWS counts these (InvocationFailedToBeSentToDeadLetterCount) and drops the event.
      return 'DROPPED';
    }
  }

  function complete(schedule: StoredSchedule, status: 'DONE' | 'FAILED', outcome: FiredSchedule['outcome']) {
    fired.push({
      scheduleName: schedule.name,
      groupName: schedule.groupName,
      scheduleArn: schedule.arn,
      targetArn: schedule.target.Arn,
      dueAt: new Date(schedule.dueAt),
      firedAt: new Date(clock()),
      attempts: schedule.attempts,
      outcome,
    });
    // Deleted or replaced (UpdateSchedule) while delivering: the newer state wins.
    if (!isCurrent(schedule)) return;
    if (schedule.actionAfterCompletion === 'DELETE')
      schedules.delete(keyOf(schedule.groupName, schedule.name));
    else schedule.status = status;
  }

  function groupOf(value: unknown): string {
    if (value === undefined || value === null || value === '') return DEFAULT_GROUP;
    if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
      throw invalid('GroupName must be 1-64 characters of 0-9a-zA-Z-_.');
    }
    if (!groups.has(value)) {
      throw new ServiceError('ResourceNotFoundException', 404, `Schedule group ${value} does not exist.`);
    }
    return value;
  }

  function find(name: string, groupName: unknown): StoredSchedule {
    const group = groupOf(groupName);
    const schedule = schedules.get(keyOf(group, name));
    if (!schedule)
      throw new ServiceError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
    return schedule;
  }

  /** CreateSchedule and UpdateSchedule: the same input, checked the same way. */
  function build(name: string, body: Record<string, unknown>, previous?: StoredSchedule): StoredSchedule {
    const groupName = groupOf(body.GroupName);
    const { expression, dueAt } = parseExpression(body.ScheduleExpression);
    const timezone = body.ScheduleExpressionTimezone;
    if (timezone !== undefined && timezone !== 'UTC') {
      throw invalid(
        `ScheduleExpressionTimezone ${JSON.stringify(timezone)} is not supported by this stand-in: use UTC`,
      );
    }
    const at = clock();
    return {
      name,
      groupName,
      arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${groupName}/${name}`,
      expression,
      dueAt,
      state: oneOf(body.State, 'State', ['ENABLED', 'DISABLED'] as const, 'ENABLED'),
      actionAfterCompletion: oneOf(
        body.ActionAfterCompletion,
        'ActionAfterCompletion',
        ['NONE', 'DELETE'] as const,
        'NONE',
      ),
      flexibleTimeWindow: parseWindow(body.FlexibleTimeWindow),
      target: parseTarget(body.Target),
      ...optionalString(body.Description, 'Description', 512, 'description'),
      ...optionalString(body.KmsKeyArn, 'KmsKeyArn', 2048, 'kmsKeyArn'),
      ...optionalString(body.ClientToken, 'ClientToken', 64, 'clientToken'),
      ...optionalDate(body.StartDate, 'StartDate', 'startDate'),
      ...optionalDate(body.EndDate, 'EndDate', 'endDate'),
      createdAt: previous?.createdAt ?? at,
      modifiedAt: at,
      status: 'PENDING',
      attempts: 0,
    };
  }

  function routeSchedule(
    method: string,
    name: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ) {
    if (!NAME_PATTERN.test(name)) throw invalid('Name must be 1-64 characters of 0-9a-zA-Z-_.');
    switch (method) {
      case 'POST': {
        const schedule = build(name, body);
        const key = keyOf(schedule.groupName, name);
        const existing = schedules.get(key);
        if (existing) {
          // The SDK sends a ClientToken; the same one again is a retry of a create that went through.
          if (existing.clientToken !== undefined && existing.clientToken === schedule.clientToken) {
            return { ScheduleArn: existing.arn };
          }
          throw new ServiceError('ConflictException', 409, `Schedule ${name} already exists.`);
        }
        schedules.set(key, schedule);
        return { ScheduleArn: schedule.arn };
      }
      case 'PUT': {
        const previous = find(name, body.GroupName);
        const schedule = build(name, body, previous);
        schedules.set(keyOf(schedule.groupName, name), schedule);
        return { ScheduleArn: schedule.arn };
      }
      case 'GET':
        return describe(find(name, query.get('groupName')));
      case 'DELETE': {
        const schedule = find(name, query.get('groupName'));
        schedules.delete(keyOf(schedule.groupName, name));
        return {};
      }
      default:
        throw unknownOperation();
    }
  }

  function list(query: URLSearchParams) {
    const group = query.get('ScheduleGroup');
    const groupName = group === null ? undefined : groupOf(group);
    const prefix = query.get('NamePrefix') ?? '';
    const state = query.get('State');
    if (state !== null && state !== 'ENABLED' && state !== 'DISABLED') {
      throw invalid('State must be ENABLED or DISABLED');
    }
    const max = query.get('MaxResults') === null ? 100 : Number(query.get('MaxResults'));
    if (!Number.isInteger(max) || max < 1 || max > 100) throw invalid('MaxResults must be from 1 to 100');
    const start = query.get('NextToken') === null ? 0 : Number(query.get('NextToken'));
    if (!Number.isInteger(start) || start < 0) throw invalid('NextToken is not valid');
    const matching = sorted().filter(
      (s) =>
        (groupName === undefined || s.groupName === groupName) &&
        s.name.startsWith(prefix) &&
        (state === null || s.state === state),
    );
    const page = matching.slice(start, start + max);
    return {
      Schedules: page.map((s) => ({
        Arn: s.arn,
        Name: s.name,
        GroupName: s.groupName,
        State: s.state,
        CreationDate: s.createdAt / 1000,
        LastModificationDate: s.modifiedAt / 1000,
        Target: { Arn: s.target.Arn },
      })),
      ...(start + max < matching.length ? { NextToken: String(start + max) } : {}),
    };
  }

  const sorted = () =>
    [...schedules.values()].sort(
      (a, b) => a.groupName.localeCompare(b.groupName) || a.name.localeCompare(b.name),
    );

  const views = (): ScheduleView[] =>
    sorted().map((s) => ({
      name: s.name,
      groupName: s.groupName,
      arn: s.arn,
      scheduleExpression: s.expression,
      dueAt: new Date(s.dueAt),
      state: s.state,
      actionAfterCompletion: s.actionAfterCompletion,
      targetArn: s.target.Arn,
      status: s.status,
      attempts: s.attempts,
      ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
      createdAt: new Date(s.createdAt),
    }));

  async function advance(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError('advance(ms) takes a number of ms, 0 or more: the clock never goes back');
    }
    offsetMs += ms;
    await fireDue();
  }

  async function control(method: string, path: string, req: IncomingMessage) {
    if (method === 'POST' && path === '/__scheduler/advance') {
      const { ms } = await readJson(req);
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw invalid('ms must be a number of milliseconds, 0 or more');
      }
      await advance(ms);
      return { now: new Date(clock()).toISOString() };
    }
    if (method === 'GET' && path === '/__scheduler/schedules') {
      return { now: new Date(clock()).toISOString(), schedules: views() };
    }
    if (method === 'GET' && path === '/__scheduler/fired') {
      return { now: new Date(clock()).toISOString(), fired };
    }
    throw unknownOperation();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      const path = url.pathname;
      if (path.startsWith('/__scheduler/')) {
        send(res, 200, await control(method, path, req));
        return;
      }
      if (path === '/schedules' && method === 'GET') {
        send(res, 200, list(url.searchParams));
        return;
      }
      const match = /^\/schedules\/([^/]+)$/.exec(path);
      if (!match?.[1]) throw unknownOperation();
      let name: string;
      try {
        name = decodeURIComponent(match[1]);
      } catch {
        throw invalid('Name is not valid');
      }
      const body = method === 'POST' || method === 'PUT' ? await readJson(req) : {};
      send(res, 200, routeSchedule(method, name, url.searchParams, body));
    } catch (error) {
      if (error instanceof ServiceError) sendError(res, error);
      else sendError(res, new ServiceError('InternalServerException', 500, 'The stand-in failed'));
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const timer =
    pollMs > 0
      ? setInterval(() => {
          if (tickQueued || closed) return;
          tickQueued = true;
          void fireDue().finally(() => {
            tickQueued = false;
          });
        }, pollMs)
      : undefined;
  timer?.unref();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    advance,
    now: () => new Date(clock()),
    schedules: views,
    fired: () => fired.map((f) => ({ ...f })),
    close: async () => {
      closed = true;
      if (timer) clearInterval(timer);
      await firing;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      });
    },
  };
}

/** The SDK's GetScheduleOutput, AWS's defaults filled in. */
function describe(s: StoredSchedule) {
  return {
    Arn: s.arn,
    GroupName: s.groupName,
    Name: s.name,
    ScheduleExpression: s.expression,
    ScheduleExpressionTimezone: 'UTC',
    ...(s.startDate === undefined ? {} : { StartDate: s.startDate }),
    ...(s.endDate === undefined ? {} : { EndDate: s.endDate }),
    ...(s.description === undefined ? {} : { Description: s.description }),
    State: s.state,
    CreationDate: s.createdAt / 1000,
    LastModificationDate: s.modifiedAt / 1000,
    ...(s.kmsKeyArn === undefined ? {} : { KmsKeyArn: s.kmsKeyArn }),
    Target: { ...s.target, RetryPolicy: retryPolicyOf(s.target) },
    FlexibleTimeWindow: s.flexibleTimeWindow,
    ActionAfterCompletion: s.actionAfterCompletion,
  };
}

function deliveryOf(schedule: StoredSchedule, arn: string): ScheduledDelivery {
  const groupId = schedule.target.SqsParameters?.MessageGroupId;
  return {
    arn,
    input: schedule.target.Input,
    scheduleName: schedule.name,
    groupName: schedule.groupName,
    ...(groupId === undefined ? {} : { messageGroupId: groupId }),
  };
}

function retryPolicyOf(target: Target): RetryPolicy {
  return {
    MaximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS,
    MaximumEventAgeInSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS,
  };
}

function parseExpression(value: unknown): { expression: string; dueAt: number } {
  if (typeof value !== 'string' || value === '') throw invalid('ScheduleExpression is required');
  const match = AT_PATTERN.exec(value);
  if (!match) {
    throw invalid(
      `ScheduleExpression ${JSON.stringify(value.slice(0, 256))} is not supported by this stand-in: ` +
        'only one-time schedules, at(yyyy-mm-ddThh:mm:ss)',
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const dueAt = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(dueAt);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip does not exist.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    throw invalid(`ScheduleExpression ${JSON.stringify(value)} is not a valid date and time`);
  }
  return { expression: value, dueAt };
}

function parseWindow(value: unknown): StoredSchedule['flexibleTimeWindow'] {
  if (typeof value !== 'object' || value === null) throw invalid('FlexibleTimeWindow is required');
  const { Mode, MaximumWindowInMinutes } = value as Record<string, unknown>;
  if (Mode === 'OFF') return { Mode };
  if (Mode !== 'FLEXIBLE') throw invalid('FlexibleTimeWindow.Mode must be OFF or FLEXIBLE');
  if (
    typeof MaximumWindowInMinutes !== 'number' ||
    !Number.isInteger(MaximumWindowInMinutes) ||
    MaximumWindowInMinutes < 1 ||
    MaximumWindowInMinutes > 1440
  ) {
    throw invalid('FlexibleTimeWindow.MaximumWindowInMinutes must be from 1 to 1440 with Mode FLEXIBLE');
  }
  return { Mode, MaximumWindowInMinutes };
}

function parseTarget(value: unknown): Target {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('Target is required');
  const target = structuredClone(value) as Record<string, unknown>;
  if (typeof target.Arn !== 'string' || target.Arn.length < 1 || target.Arn.length > 1600) {
    throw invalid('Target.Arn is required (1-1600 characters)');
  }
  if (typeof target.RoleArn !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(target.RoleArn)) {
    throw invalid('Target.RoleArn is required: an IAM role ARN');
  }
  if (
    target.Input !== undefined &&
    (typeof target.Input !== 'string' || target.Input.length < 1 || target.Input.length > MAX_INPUT_CHARS)
  ) {
    // Never quote the Input: it may carry anything.
    throw invalid(`Target.Input must be a string of 1-${MAX_INPUT_CHARS} characters`);
  }
  const retry = target.RetryPolicy;
  if (retry !== undefined) {
    const { MaximumRetryAttempts: attempts, MaximumEventAgeInSeconds: age } = (retry ?? {}) as Record<
      string,
      unknown
    >;
    if (
      attempts !== undefined &&
      (!Number.isInteger(attempts) || (attempts as number) < 0 || (attempts as number) > 185)
    ) {
      throw invalid('Target.RetryPolicy.MaximumRetryAttempts must be from 0 to 185');
    }
    if (age !== undefined && (!Number.isInteger(age) || (age as number) < 60 || (age as number) > 86_400)) {
      throw invalid('Target.RetryPolicy.MaximumEventAgeInSeconds must be from 60 to 86400');
    }
  }
  const deadLetterArn = (target.DeadLetterConfig as { Arn?: unknown } | undefined)?.Arn;
  if (
    deadLetterArn !== undefined &&
    (typeof deadLetterArn !== 'string' || !deadLetterArn.startsWith('arn:'))
  ) {
    throw invalid('Target.DeadLetterConfig.Arn must be an SQS queue ARN');
  }
  return target as Target;
}

function oneOf<const T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(`${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function optionalString<K extends string>(
  value: unknown,
  field: string,
  max: number,
  key: K,
): Partial<Record<K, string>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string' || value.length > max) {
    throw invalid(`${field} must be a string of up to ${max} characters`);
  }
  return { [key]: value } as Partial<Record<K, string>>;
}

/** StartDate and EndDate come as epoch seconds; kept as they came. */
function optionalDate<K extends string>(value: unknown, field: string, key: K): Partial<Record<K, number>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${field} must be a timestamp`);
  return { [key]: value } as Partial<Record<K, number>>;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

const unknownOperation = () =>
  new ServiceError('UnknownOperationException', 404, 'This operation is not supported by the stand-in');

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw invalid('Request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    // The parser's message would quote the body, Input included.
    throw invalid('The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, body, 'application/json');
}

function sendError(res: ServerResponse, error: ServiceError): void {
  const text = JSON.stringify({ Message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-errortype': error.type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}
