/**
 * The SQS stand-in: fauxqs (reference/local-aws.md), in process, on 127.0.0.1 only. `startFauxqs()` would
 * bind 0.0.0.0, so we build its app and listen ourselves. Its queue URLs name `sqs.<region>.localhost`,
 * which does not resolve here: use `createLocalSqsClient`, which always sends to the endpoint.
 */
import { buildApp } from 'fauxqs';

export interface SqsStandIn {
  /** e.g. `http://127.0.0.1:40123`: pass it to `createLocalSqsClient`. */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts fauxqs's SQS (it also serves S3 and SNS on the same port) on a free loopback port. */
export async function startSqsStandIn(): Promise<SqsStandIn> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    endpoint,
    close: async () => {
      await app.close();
    },
  };
}
