/**
 * The S3 stand-in: fauxqs (reference/local-aws.md), in process, on 127.0.0.1 only. `startFauxqs()` would
 * bind 0.0.0.0, so we build its app and listen ourselves.
 */
import { buildApp } from 'fauxqs';

export interface S3StandIn {
  /** e.g. `http://127.0.0.1:40123`: pass it to `createLocalS3Client` (path-style). */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts fauxqs's S3 (it also serves SQS and SNS on the same port) on a free loopback port. */
export async function startS3StandIn(): Promise<S3StandIn> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    endpoint,
    close: async () => {
      await app.close();
    },
  };
}
