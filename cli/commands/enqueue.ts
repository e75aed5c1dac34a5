/**
 * `atlas-ops enqueue FILE|-`: sends operation messages to the provisioning queue — the local stack's by
 * default (a running `npm start`), or any queue with `--queue-url`. Each message is checked first, so a typo
 * is reported here rather than found in the dead-letter queue later; ids are derived where absent and printed.
 */

import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsOperationQueue } from '../../shared/aws/operation-queue.ts';
import { InvalidOperationError } from '../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../shared/operations/message.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { readInput } from '../input.ts';
import { readLocalStackFile } from '../local-stack-file.ts';

const USAGE = `Usage: atlas-ops enqueue FILE|- [--queue-url URL]
FILE holds one operation message or a JSON array of them. Without --queue-url the messages go to the queue of
the local stack running here (npm start); with it, to that SQS queue with your AWS credentials.`;

export const enqueueCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(args, USAGE, { 'queue-url': { type: 'string' } }, { positionals: true });
    if (!parsed) return 0;
    const text = await readInput(parsed.positionals[0], USAGE);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      process.stderr.write('atlas-ops enqueue: the input is not JSON\n');
      return 2;
    }
    const messages = Array.isArray(json) ? json : [json];
    const checked: Record<string, unknown>[] = [];
    const problems: string[] = [];
    messages.forEach((message, index) => {
      try {
        const operation = parseOperationMessage(JSON.stringify(message));
        checked.push({ ...(message as object), id: operation.id });
      } catch (error) {
        if (!(error instanceof InvalidOperationError)) throw error;
        const fields = error.problems.map((p) => `${p.field}: ${p.description}`).join('; ');
        problems.push(`message ${index}: ${error.message}${fields ? ` (${fields})` : ''}`);
      }
    });
    if (problems.length > 0) {
      process.stderr.write(`atlas-ops enqueue: nothing sent.\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 2;
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
