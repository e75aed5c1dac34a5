import type { Alarm, IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { WorkerManifest } from '../../shared/lambda/worker-manifest.ts';

/** A queue a worker's dashboard row graphs: its backlog and its oldest message's age. */
export interface WorkerQueue {
  readonly title: string;
  readonly queue: IQueue;
}

/**
 * A worker as deployed, what the stack and the dashboard know of every worker alike: the manifest it was
 * built from, its function, its alarms and its queues. The generic constructs (QueueWorker, ScheduledWorker)
 * are deployed workers; a worker's own construct passes theirs on, and adds what is special to it.
 */
export interface DeployedWorker {
  readonly manifest: WorkerManifest;
  readonly function: LambdaFunction;
  readonly alarms: readonly Alarm[];
  readonly queues: readonly WorkerQueue[];
  /** The dashboard row's subtitle when the manifest's summary is not all there is to say. */
  readonly summary?: string;
  /** Graphs special to the worker, drawn after its function's (the intake's HTTP API requests). */
  dashboardWidgets?(): IWidget[];
}
