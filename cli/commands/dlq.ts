/**
 * `atlas-ops dlq list|redrive|purge`: the provisioning dead-letter queue — what is parked there and why,
 * moving messages back to the provisioning queue, deleting one operation's messages. The local stack's queue
 * by default (a running `npm start`), or any dead-letter queue with `--queue-url` and your AWS credentials.
 * Exit codes: 0 done; 1 failed, or `--id` matched no message; 2 bad usage.
 */

import { SQSClient } from '@aws-sdk/client-sqs';
import { QueueError } from '../../shared/aws/errors.ts';
import { type DeadLetter, DeadLetterQueue } from '../../shared/queue-worker/adapters/dead-letter-queue.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { textTable } from '../format/table.ts';
import { readLocalStackFile } from '../local-stack-file.ts';

const USAGE = `Usage: atlas-ops dlq list [--json] [--queue-url URL]
       atlas-ops dlq redrive [--id ID] [--json] [--queue-url URL [--source-queue-url URL]]
       atlas-ops dlq purge --id ID [--json] [--queue-url URL]

The operations the provisioning worker gave up on, parked on its dead-letter queue:
  list      the queue's messages (operation id, type, reason, receive count, first seen); they stay there
  redrive   move messages back to the provisioning queue: those of operation ID, or all of them
  purge     delete the messages of operation ID (the queue itself is never purged)

Options:
  --id ID                   only the messages of this operation
  --json                    print JSON instead of a table or a sentence
  --queue-url URL           this SQS dead-letter queue, with your AWS credentials (default: the local stack
                            running in this folder, npm start); redrive without --id then starts an SQS
                            message move task
  --source-queue-url URL    with redrive and --queue-url: move to this queue (default: each message's own
                            source queue)
  -h, --help                show this help

Exit codes: 0 done; 1 failed, or --id matched no message; 2 bad usage.`;

const SUBCOMMANDS = ['list', 'redrive', 'purge'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

interface Options {
  subcommand: Subcommand;
  id: string | undefined;
  json: boolean;
  queueUrl: string | undefined;
  sourceQueueUrl: string | undefined;
}

/** What the chosen queue needs: a client and the URLs, from the flags or the local stack file. */
interface Target {
  sqs: SQSClient;
  queue: DeadLetterQueue;
  /** Known up front for the local stack and with --source-queue-url. */
  sourceQueueUrl: string | undefined;
  local: boolean;
}

export const dlqCommand: Command = {
  async run(args) {
    const options = parseOptions(args);
    if (!options) return 0;
    const target = await openTarget(options);
    try {
      switch (options.subcommand) {
        case 'list':
          return await list(target, options);
        case 'redrive':
          return await redrive(target, options);
        case 'purge':
          return await purge(target, options);
      }
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      process.stderr.write(`atlas-ops dlq: ${error.message}\n`);
      return 1;
    } finally {
      target.sqs.destroy();
    }
  },
};

/** The parsed flags, or undefined when help was asked for (and printed). */
function parseOptions(args: string[]): Options | undefined {
  const parsed = parseCommandArgs(
    args,
    USAGE,
    {
      id: { type: 'string' },
      json: { type: 'boolean' },
      'queue-url': { type: 'string' },
      'source-queue-url': { type: 'string' },
    },
    { positionals: true },
  );
  if (!parsed) return undefined;
  const { values, positionals } = parsed;
  const [subcommand, ...extra] = positionals;
  if (!subcommand) throw new UsageError(`name what to do: list, redrive or purge\n${USAGE}`);
  if (!isSubcommand(subcommand)) {
    throw new UsageError(`unknown dlq command "${subcommand}"; use list, redrive or purge\n${USAGE}`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"\n${USAGE}`);
  if (values.id === '') throw new UsageError(`--id needs an operation id\n${USAGE}`);
  if (subcommand === 'purge' && values.id === undefined) {
    throw new UsageError(`purge needs --id ID: only one operation's messages are ever deleted\n${USAGE}`);
  }
  if (subcommand === 'list' && values.id !== undefined) {
    throw new UsageError(`list takes no --id\n${USAGE}`);
  }
  if (values['source-queue-url'] !== undefined && (subcommand !== 'redrive' || !values['queue-url'])) {
    throw new UsageError(`--source-queue-url goes with redrive and --queue-url\n${USAGE}`);
  }
  return {
    subcommand,
    id: values.id,
    json: values.json ?? false,
    queueUrl: values['queue-url'],
    sourceQueueUrl: values['source-queue-url'],
  };
}

function isSubcommand(name: string): name is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(name);
}

async function openTarget(options: Options): Promise<Target> {
  if (options.queueUrl) {
    const sqs = new SQSClient({});
    return {
      sqs,
      queue: new DeadLetterQueue({ sqs, queueUrl: options.queueUrl }),
      sourceQueueUrl: options.sourceQueueUrl,
      local: false,
    };
  }
  const local = await readLocalStackFile('pass --queue-url');
  const sqs = new SQSClient({
    endpoint: local.sqsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
  return {
    sqs,
    // The stand-in keeps every message in one place, so a short poll sees them all (no 1 s wait at the end).
    queue: new DeadLetterQueue({ sqs, queueUrl: local.deadLetterQueueUrl, waitTimeSeconds: 0 }),
    sourceQueueUrl: local.queueUrl,
    local: true,
  };
}

async function list(target: Target, options: Options): Promise<number> {
  const { messages, truncated } = await target.queue.list();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(messages, null, 2)}\n`);
  } else if (messages.length === 0) {
    process.stdout.write('The dead-letter queue is empty.\n');
  } else {
    process.stdout.write(`${formatTable(messages)}\n`);
  }
  if (truncated) process.stderr.write(`atlas-ops dlq: showing the first ${messages.length} messages only\n`);
  return 0;
}

async function redrive(target: Target, options: Options): Promise<number> {
  // SQS's own move task is the way in AWS; the local stand-in has none, and it cannot pick one operation.
  if (!target.local && options.id === undefined) {
    const taskHandle = await target.queue.startMoveTask(target.sourceQueueUrl);
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ taskHandle })}\n`
        : `Started an SQS message move task: ${taskHandle}\n` +
            "(its progress: aws sqs list-message-move-tasks --source-arn <the dead-letter queue's ARN>)\n",
    );
    return 0;
  }
  const sourceQueueUrl = target.sourceQueueUrl ?? (await findSourceQueue(target.queue));
  const result = await target.queue.redrive(sourceQueueUrl, options.id);
  if (options.id !== undefined && result.moved + result.failed === 0) {
    return nothingFor(options.id, result.truncated);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ moved: result.moved, failed: result.failed })}\n`);
  } else {
    process.stdout.write(`Moved ${plural(result.moved, 'message')} back to ${sourceQueueUrl}\n`);
  }
  if (result.truncated) process.stderr.write('atlas-ops dlq: more messages remain; run redrive again\n');
  if (result.failed > 0) {
    process.stderr.write(
      `atlas-ops dlq: SQS refused ${plural(result.failed, 'message')}; they stay on the dead-letter queue\n`,
    );
    return 1;
  }
  return 0;
}

async function purge(target: Target, options: Options): Promise<number> {
  const id = options.id ?? '';
  const { deleted, truncated } = await target.queue.purge(id);
  if (deleted === 0) return nothingFor(id, truncated);
  process.stdout.write(
    options.json ? `${JSON.stringify({ deleted })}\n` : `Deleted ${plural(deleted, 'message')} of ${id}\n`,
  );
  if (truncated) process.stderr.write('atlas-ops dlq: more messages remain; run purge again\n');
  return 0;
}

/** The queue that redrives to this one, when there is exactly one; otherwise the user has to name it. */
async function findSourceQueue(queue: DeadLetterQueue): Promise<string> {
  try {
    return await queue.sourceQueueUrl();
  } catch (error) {
    if (!(error instanceof QueueError)) throw error;
    throw new QueueError(error.queueUrl, `${error.message}; name the queue with --source-queue-url`, {
      cause: error,
    });
  }
}

/** An `--id` that matched nothing is most likely a typo: say so and exit 1. */
function nothingFor(id: string, truncated: boolean): number {
  const among = truncated ? ' among the messages read (the queue holds more)' : '';
  process.stderr.write(`atlas-ops dlq: no dead-lettered message for operation ${id}${among}\n`);
  return 1;
}

function formatTable(messages: readonly DeadLetter[]): string {
  const rows = [
    ['OPERATION', 'TYPE', 'REASON', 'RECEIVES', 'FIRST SEEN'],
    ...messages.map((m) => [
      m.operationId ?? '-',
      m.type ?? '-',
      m.reason,
      m.receiveCount === undefined ? '-' : String(m.receiveCount),
      m.firstSeen ?? '-',
    ]),
  ];
  return textTable(rows);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
