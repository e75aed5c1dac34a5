import type { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { IEventSource, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { WorkerEnvSchema, WorkerManifest, WorkerTrigger } from '../../shared/lambda/worker-manifest.ts';
import type { AtlasCredentials } from './atlas-credentials.ts';
import type { DeployedWorker, WorkerQueue } from './deployed-worker.ts';
import type { StaticEgress } from './static-egress.ts';
import {
  type WorkerEnvironment,
  WorkerFunction,
  type WorkerSettings,
  workerSettings,
} from './worker-function.ts';

/** What every worker deployed from its manifest is given, whatever its trigger. */
export interface ManifestWorkerProps<Schema extends WorkerEnvSchema> extends WorkerSettings {
  /** The worker: entry, defaults, environment schema. */
  readonly manifest: WorkerManifest<Schema>;
  /** The Atlas credentials, for a worker whose schema reads `ATLAS_SECRET_ID`. */
  readonly credentials?: AtlasCredentials;
  /** Run in this VPC's private subnets so Atlas sees the calls come from its Elastic IPs. @default no VPC */
  readonly staticEgress?: StaticEgress;
  /** The execution role's description. @default `atlas-ops <title>` */
  readonly roleDescription?: string;
  /** The alarm on the function's errors. @default one the trigger's construct words */
  readonly errorsAlarmDescription?: string;
}

/** What the trigger's construct decides of the function. */
export interface TriggerFunctionSettings<Schema extends WorkerEnvSchema> {
  readonly timeout: Duration;
  readonly memorySize: number;
  /** The worker's variables and the trigger's. */
  readonly environment: WorkerEnvironment<Schema>;
  readonly events?: IEventSource[];
  readonly retryAttempts?: number;
  readonly reservedConcurrentExecutions?: number;
  /** The errors alarm's description when the props give none. */
  readonly errorsAlarmDescription: string;
}

/**
 * What a queue worker and a scheduled worker share: the manifest they were built from and its function
 * (WorkerFunction: role, log group, the alarms). A subclass checks its trigger, builds what the trigger needs,
 * then the function with `createFunction`.
 */
export abstract class ManifestWorker<Schema extends WorkerEnvSchema, Trigger extends WorkerTrigger>
  extends Construct
  implements DeployedWorker
{
  readonly manifest: WorkerManifest;
  /** The manifest's trigger, of the kind this construct deploys. */
  readonly trigger: Trigger;
  /** The function, its role, its log group and the worker's alarms. */
  abstract readonly worker: WorkerFunction<Schema>;
  abstract readonly queues: readonly WorkerQueue[];
  /** Who prop errors name: the worker's own construct when this is its `Default` child. */
  protected readonly owner: string;

  constructor(scope: Construct, id: string, manifest: WorkerManifest<Schema>, kind: Trigger['kind']) {
    super(scope, id);
    const construct = new.target.name;
    if (manifest.trigger.kind !== kind) {
      throw new Error(`${construct}: worker ${manifest.name} is not triggered by a ${kind}`);
    }
    this.manifest = manifest;
    this.trigger = manifest.trigger as Trigger;
    this.owner = id === 'Default' ? scope.constructor.name : `${construct} ${manifest.name}`;
  }

  get function(): LambdaFunction {
    return this.worker.function;
  }

  get role(): Role {
    return this.worker.role;
  }

  get logGroup(): LogGroup {
    return this.worker.logGroup;
  }

  /** Every alarm of the worker, the function's errors first; each notifies the alarm topic. */
  get alarms(): readonly Alarm[] {
    return this.worker.alarms;
  }

  /** Makes `alarm` one of the worker's: it notifies the alarm topic, when there is one. */
  addAlarm(alarm: Alarm): Alarm {
    return this.worker.addAlarm(alarm);
  }

  /** The manifest's function (id `Default`, so its resources keep the logical ids of this construct's). */
  protected createFunction(
    props: ManifestWorkerProps<Schema>,
    settings: TriggerFunctionSettings<Schema>,
  ): WorkerFunction<Schema> {
    const { manifest } = props;
    return new WorkerFunction<Schema>(this, 'Default', {
      entry: manifest.entry,
      description: manifest.description,
      roleDescription: props.roleDescription ?? `atlas-ops ${manifest.title.toLowerCase()}`,
      serviceName: manifest.serviceName,
      timeout: settings.timeout,
      memorySize: settings.memorySize,
      environmentSchema: manifest.environment,
      environment: settings.environment,
      ...(manifest.nodeOptions ? { nodeOptions: manifest.nodeOptions } : {}),
      ...(settings.events ? { events: settings.events } : {}),
      ...(settings.retryAttempts === undefined ? {} : { retryAttempts: settings.retryAttempts }),
      ...(settings.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: settings.reservedConcurrentExecutions }),
      errorsAlarmDescription: props.errorsAlarmDescription ?? settings.errorsAlarmDescription,
      ...workerSettings(props),
      ...(props.staticEgress ? { staticEgress: props.staticEgress } : {}),
      // Typed by the schema (WorkerFunctionProps): a generic schema cannot tell whether it reads the secret.
      credentials: props.credentials,
    } as never);
  }
}
