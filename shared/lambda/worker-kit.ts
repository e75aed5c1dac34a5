/**
 * The kit every worker is built from: observability, AWS SDK clients pointed where the environment says,
 * Atlas sessions from the credentials secret for the workers that call Atlas, and `handler()`, which wraps the
 * worker's function in the kit's middlewares. A worker's create-handler.ts reads its config, builds its
 * adapters with the kit, and hands its function to `kit.handler`.
 *
 * @example
 * const kit = createAtlasWorkerKit({ env, secretId: config.secretId, reserveMs: 10_000 });
 * export const handler = kit.handler(async (event, context) => context.atlas.run((atlas) => …));
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RetryPolicy } from '../atlas/index.ts';
import { SecretAtlasConnection } from './adapters/secret-atlas-connection.ts';
import { type AtlasSessionContext, AtlasSessions, atlasSession } from './atlas-session.ts';
import { buildKit, endpointIn, tracedBy, type WorkerKit, type WorkerKitOptions } from './base-kit.ts';
import { createObservability } from './observability.ts';

// The kit of a worker that does not call Atlas lives in ./base-kit.ts (so its bundle stays free of the Atlas
// client); it is part of this module's interface too.
export { type AwsService, createWorkerKit, type WorkerKit, type WorkerKitOptions } from './base-kit.ts';

export interface AtlasWorkerKitOptions extends WorkerKitOptions {
  /** Name or ARN of the Atlas credentials secret (`ATLAS_SECRET_ID`). */
  secretId: string;
  /** Time kept back from the Lambda's remaining time to record results: Atlas calls stop before it. */
  reserveMs: number;
  /** The Atlas client's retry policy for this worker. @default the client's */
  atlasRetry?: Partial<RetryPolicy>;
}

/** The kit of a worker that calls Atlas: its handlers get `context.atlas`, a session with the deadline. */
export interface AtlasWorkerKit extends WorkerKit<AtlasSessionContext> {
  readonly sessions: AtlasSessions;
}

/** A kit for a worker that calls Atlas: as `createWorkerKit`, plus Atlas sessions from the credentials secret. */
export function createAtlasWorkerKit(options: AtlasWorkerKitOptions): AtlasWorkerKit {
  const tools = createObservability(options.env);
  const traced = tracedBy(tools);
  const sessions = new AtlasSessions({
    connection: new SecretAtlasConnection({
      secretId: options.secretId,
      client: traced(new SecretsManagerClient(endpointIn(options.env, 'SECRETS_MANAGER'))),
    }),
    client: { logger: tools.logger, ...(options.atlasRetry ? { retry: options.atlasRetry } : {}) },
  });
  const kit = buildKit<AtlasSessionContext>(options, tools, [
    atlasSession(sessions, { reserveMs: options.reserveMs, metrics: tools.metrics }),
  ]);
  return { ...kit, sessions };
}
