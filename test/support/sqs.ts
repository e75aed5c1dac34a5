/** Integration-test support: the fauxqs SQS stand-in on 127.0.0.1 for one test file. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import { createLocalSqsClient } from '../../local/aws/clients.ts';
import { type SqsStandIn, startSqsStandIn } from '../../local/aws/sqs.ts';

/**
 * Starts the stand-in before the file's tests and stops it after them; `onStart` gets it and a client for it.
 * @example
 * let sqs: SQSClient;
 * useSqsStandIn((started) => ({ sqs } = started));
 */
export function useSqsStandIn(onStart: (started: { standIn: SqsStandIn; sqs: SQSClient }) => void): void {
  let started: { standIn: SqsStandIn; sqs: SQSClient } | undefined;
  beforeAll(async () => {
    const standIn = await startSqsStandIn();
    started = { standIn, sqs: createLocalSqsClient(standIn.endpoint) };
    onStart(started);
  });
  afterAll(async () => {
    started?.sqs.destroy();
    await started?.standIn.close();
  });
}
