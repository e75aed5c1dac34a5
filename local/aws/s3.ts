/** The S3 stand-in: fauxqs (reference/local-aws.md), in process, on 127.0.0.1 only (see ./fauxqs.ts). */
import { startLoopbackFauxqs } from './fauxqs.ts';

export interface S3StandIn {
  /** e.g. `http://127.0.0.1:40123`: pass it to `createLocalS3Client` (path-style). */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts fauxqs's S3 (it also serves SQS and SNS on the same port) on a free loopback port. */
export function startS3StandIn(): Promise<S3StandIn> {
  return startLoopbackFauxqs();
}
