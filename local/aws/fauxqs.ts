/**
 * fauxqs (reference/local-aws.md), in process, on 127.0.0.1 only: what the S3 and SQS stand-ins start.
 * fauxqs's own `startFauxqs()` would bind 0.0.0.0, so we build its app and listen ourselves.
 */
import { buildApp } from 'fauxqs';

/** A running fauxqs. */
export interface LoopbackFauxqs {
  /** e.g. `http://127.0.0.1:40123`. */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts fauxqs (S3, SQS and SNS on the same port) on a free loopback port. */
export async function startLoopbackFauxqs(): Promise<LoopbackFauxqs> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    endpoint,
    close: async () => {
      await app.close();
    },
  };
}
