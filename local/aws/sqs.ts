/**
 * The SQS stand-in: fauxqs (reference/local-aws.md), in process, on 127.0.0.1 only (see ./fauxqs.ts). Its
 * queue URLs name `sqs.<region>.localhost`, which does not resolve here: use `createLocalSqsClient`, which
 * always sends to the endpoint.
 */
import { startLoopbackFauxqs } from './fauxqs.ts';

export interface SqsStandIn {
  /** e.g. `http://127.0.0.1:40123`: pass it to `createLocalSqsClient`. */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts fauxqs's SQS (it also serves S3 and SNS on the same port) on a free loopback port. */
export function startSqsStandIn(): Promise<SqsStandIn> {
  return startLoopbackFauxqs();
}
