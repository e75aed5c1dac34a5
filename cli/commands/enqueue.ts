/**
 * `atlas-ops enqueue FILE|-`: sends operation messages to the provisioning queue — the local stack's by
 * default (a running `npm start`), or any queue with `--queue-url`. Each message is checked first, so a typo
 * is reported here rather than found in the dead-letter queue later; ids are derived where absent and printed.
 * A message adding a wide network (shared/operations/network-safety.ts) is refused unless
 * `--allow-wide-networks` is given, which sets `allowWideNetworks: true` on every message sent.
 * Exit codes: 0 sent (one id per line on stdout); 1 the queue refused them; 2 invalid input or a wide network
 * refused (nothing sent) or bad usage.
 */

import { SQSClient } from '@aws-sdk/client-sqs';
import type { FieldProblem } from '../../shared/atlas/index.ts';
import { SqsOperationQueue } from '../../shared/operations/adapters/operation-queue.ts';
import { InvalidOperationError } from '../../shared/operations/errors.ts';
import { parseOperationMessage } from '../../shared/operations/message.ts';
import { wideNetworkProblems } from '../../shared/operations/network-safety.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { InputProblems, parseJsonInput, problemLines, readInput, refuseInput } from '../input.ts';
import { readLocalStackFile } from '../local-stack-file.ts';

const USAGE = `Usage: atlas-ops enqueue FILE|- [--queue-url URL] [--allow-wide-networks]

Checks the operation messages in FILE (- reads standard input) and sends them to the provisioning queue, then
prints each one's id (derived from the message when it has none). FILE holds one message or a JSON array of
them, e.g. {"type": "projectAccessList.add", "params": {"groupId": "…", "entries": [{"ipAddress": "…"}]}}.
If any message is invalid, nothing is sent and each problem is named. Follow one with atlas-ops status ID.
A message adding an entry wider than a /8 (IPv4) or a /16 (IPv6), alone or with its other entries, is
refused unless --allow-wide-networks is given.

Options:
  --queue-url URL          send to this SQS queue, with your AWS credentials (default: the queue of the
                           local stack running in this folder, npm start)
  --allow-wide-networks    send wide networks anyway: sets "allowWideNetworks": true on every message
  -h, --help               show this help

Exit codes: 0 sent; 1 the queue refused them; 2 invalid messages or a wide network refused (nothing sent),
or bad usage.`;

export const enqueueCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(
      args,
      USAGE,
      { 'queue-url': { type: 'string' }, 'allow-wide-networks': { type: 'boolean' } },
      { positionals: true },
    );
    if (!parsed) return 0;
    const source = parsed.positionals[0];
    const allowWide = parsed.values['allow-wide-networks'] === true;
    const text = await readInput(source, USAGE);
    let checked: Record<string, unknown>[];
    try {
      checked = checkMessages(parseJsonInput(text, source ?? '-'), source ?? '-', allowWide);
    } catch (error) {
      if (error instanceof WideNetworksRefused) {
        return refuseInput(
          'enqueue',
          error,
          'wide networks refused (--allow-wide-networks sends them); nothing sent',
        );
      }
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

/** Valid messages, but some add a wide network and `--allow-wide-networks` was not given. */
class WideNetworksRefused extends InputProblems {
  override name = 'WideNetworksRefused';
}

/**
 * The messages of `json` (one, or an array), each with its id (and `allowWideNetworks: true` when
 * `allowWide`); `InputProblems` naming every problem of every message — `[1].params.groupId` in an array —
 * when any is invalid, else `WideNetworksRefused` naming every wide entry when any adds one and `allowWide`
 * is false.
 */
function checkMessages(json: unknown, source: string, allowWide: boolean): Record<string, unknown>[] {
  const many = Array.isArray(json);
  const messages: unknown[] = many ? json : [json];
  const checked: Record<string, unknown>[] = [];
  const problems: FieldProblem[] = [];
  const wide: FieldProblem[] = [];
  const at = (index: number, field: string) => {
    const path = field === '(message)' ? '' : `.${field}`;
    return many ? `[${index}]${path}` : field;
  };
  messages.forEach((message, index) => {
    try {
      const operation = parseOperationMessage(JSON.stringify(message));
      checked.push({
        ...(message as object),
        id: operation.id,
        ...(allowWide ? { allowWideNetworks: true } : {}),
      });
      if (!allowWide) {
        for (const { field, description } of wideNetworkProblems(operation)) {
          wide.push({
            field: field
              .split(', ')
              .map((one) => at(index, one))
              .join(', '),
            description,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof InvalidOperationError)) throw error;
      for (const { field, description } of error.problems)
        problems.push({ field: at(index, field), description });
    }
  });
  if (many && messages.length === 0) problems.push({ field: '(file)', description: 'holds no messages' });
  if (problems.length > 0) throw new InputProblems(problemLines(source, problems));
  if (wide.length > 0) throw new WideNetworksRefused(problemLines(source, wide));
  return checked;
}
