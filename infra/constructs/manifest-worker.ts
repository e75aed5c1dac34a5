import type { Construct } from 'constructs';
import { callsAtlas, type WorkerManifest } from '../../shared/lambda/worker-manifest.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import type { DeployedWorker } from './deployed-worker.ts';
import { QueueWorker } from './queue-worker.ts';
import { ScheduledWorker } from './scheduled-worker.ts';
import type { StaticEgress } from './static-egress.ts';
import { capitalised } from './text.ts';
import { type WorkerSettings, workerSettings } from './worker-function.ts';

export interface ManifestWorkerProps extends WorkerSettings {
  /** Given to a worker that calls Atlas (its schema reads `ATLAS_SECRET_ID`). */
  readonly credentials: AtlasCredentials;
  /** Atlas workers run in this VPC's private subnets when given. @default no VPC */
  readonly staticEgress?: StaticEgress | undefined;
}

/** `report-digest` → `ReportDigest`: the construct id of a worker deployed from its manifest alone. */
export function constructIdOf(manifest: WorkerManifest): string {
  return manifest.name.split('-').map(capitalised).join('');
}

/**
 * A worker deployed from its manifest alone, with the generic construct of its trigger: a queue worker
 * (its own queue and dead-letter queue) or a scheduled worker (its schedule). It gets the variables every
 * worker of its kind gets and nothing else, so its schema may require no other; a worker that needs a table,
 * a bucket or a grant has a construct of its own that wraps the generic one (ProvisioningWorker,
 * InventoryWorker). An HTTP worker always has its own: the API is what is special about it.
 */
export function deployFromManifest(
  scope: Construct,
  manifest: WorkerManifest,
  props: ManifestWorkerProps,
): DeployedWorker {
  const atlas = callsAtlas(manifest);
  const common = {
    manifest,
    environment: {},
    ...workerSettings(props),
    ...(atlas ? { credentials: props.credentials } : {}),
    ...(atlas && props.staticEgress ? { staticEgress: props.staticEgress } : {}),
  };
  const id = constructIdOf(manifest);
  switch (manifest.trigger.kind) {
    case 'queue':
      return new QueueWorker(scope, id, {
        ...common,
        deadLetterAlarmDescription:
          `${capitalised(manifest.trigger.carries)}s are in the ${manifest.title.toLowerCase()} dead-letter ` +
          'queue (permanent failures or retries exhausted).',
      });
    case 'schedule':
      return new ScheduledWorker(scope, id, common);
    case 'http':
      throw new Error(
        `Worker ${manifest.name}: an HTTP worker needs a construct of its own (its API, routes and throttling)`,
      );
  }
}
