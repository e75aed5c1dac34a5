/**
 * `atlas-ops enqueue FILE|-`: sends operation messages to the provisioning queue — the local stack's by
 * default (a running `npm start`), or any queue with `--queue-url`. Each message is checked first, so a typo
 * is reported here rather than found in the dead-letter queue later; ids are derived where absent and printed.
 * Exit codes: 0 sent (one id per line on stdout); 1 the queue refused them; 2 invalid input (nothing sent) or
 * bad usage.
 */

import { SQSClient } from '@aws-sdk/client-sqs';
import type { FieldProblem } from '../../shared/atlas/index.ts';
import { SqsOperationQueue } from '../../shared/operations/adapters/operation-queue.ts';
import { InvalidOperationError } from '../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../shared/operations/message.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { InputProblems, parseJsonInput, problemLines, readInput, refuseInput } from '../input.ts';
import { readLocalStackFile } from '../local-stack-file.ts';

const USAGE = `Usage: atlas-ops enqueue FILE|- [--queue-url URL]

Checks the operation messages in FILE (- reads standard input) and sends them to the provisioning queue, then
prints each one's id (derived from the message when it has none). FILE holds one message or a JSON array of
them, e.g. {"type": "projectAccessList.add", "params": {"groupId": "…", "entries": [{"ipAddress": "…"}]}}.
If any message is invalid, nothing is sent and each problem is named. Follow one with atlas-ops status ID.

Options:
  --queue-url URL   send to this SQS queue, with your AWS credentials (default: the queue of the local
                    stack running in this folder, npm start)
  -h, --help        show this help

Exit codes: 0 sent; 1 the queue refused them; 2 invalid messages (nothing sent) or bad usage.`;

export const enqueueCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(args, USAGE, { 'queue-url': { type: 'string' } }, { positionals: true });
    if (!parsed) return 0;
    const source = parsed.positionals[0];
    const text = await readInput(source, USAGE);
    let checked: Record<string, unknown>[];
    try {
      checked = checkMessages(parseJsonInput(text, source ?? '-'), source ?? '-');
    } catch (error) {
      if (!(error instanceof InputProblems)) throw error;
      return refuseInput('enqueue', error, 'nothing sent');
    }
    const queueUrl = parsed.values['queue-url'];
    const local = queueUrl ? undefined : await readLocalStackFile('pass --queue-url');
    const sqs = local
      ? new SQSClient({
          endpoint: local.sqsEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          useQueueUrlAsEndpoint: false,
        })
      : new SQSClient({});
    try {
      const queue = new SqsOperationQueue({ sqs, queueUrl: queueUrl ?? local?.queueUrl ?? '' });
      await queue.send(checked);
    } finally {
      sqs.destroy();
    }
    for (const message of checked) process.stdout.write(`${String(message.id)}\n`);
    return 0;
  },
};

/**
 * The messages of `json` (one, or an array), each with its id; `InputProblems` naming every problem of every
 * message — `[1].params.groupId` in an array — when any is invalid.
 */
function checkMessages(json: unknown, source: string): Record<string, unknown>[] {
  const many = Array.isArray(json);
  const messages: unknown[] = many ? json : [json];
  const checked: Record<string, unknown>[] = [];
  const problems: FieldProblem[] = [];
  messages.forEach((message, index) => {
    try {
      const operation = parseOperationMessage(JSON.stringify(message));
      checked.push({ ...(message as object), id: operation.id });
    } catch (error) {
      if (!(error instanceof InvalidOperationError)) throw error;
      for (const { field, description } of error.problems) {
        const at = field === '(message)' ? '' : `.${field}`;
        problems.push({ field: many ? `[${index}]${at}` : field, description });
      }
    }
  });
  if (many && messages.length === 0) problems.push({ field: '(file)', description: 'holds no messages' });
  if (problems.length > 0) throw new InputProblems(problemLines(source, problems));
  return checked;
}
