/**
 * The access-list sync in the local stack: the real handler, the desired state in the local S3 stand-in, and
 * what AWS adds around them — an S3 event notification on the desired-state object, a schedule, and one run
 * at a time (reserved concurrency 1 in AWS; a promise chain here).
 *
 * The S3 stand-in (fauxqs) has no event notifications, so they are emulated by polling: the object's ETag is
 * read every `pollMs`, and a new one invokes the handler with the `ObjectCreated:Put` event S3 would send. A
 * poller rather than a hook on our own writes, so that any write counts — a test's PutObject, another tool's
 * upload — as it would in AWS. With `desiredStateFile`, a file is mirrored into the object on every change
 * (the upload a team's pipeline would do), so editing the file is all it takes to start a run.
 */
import { existsSync, unwatchFile, watchFile } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type AccessListSyncSummary,
  createAccessListSyncHandler,
} from '../functions/access-list-sync/create-handler.ts';
import { DESIRED_STATE_KEY } from '../functions/access-list-sync/env.ts';
import { demoDesiredStateText } from './access-list-demo.ts';
import { lambdaContext, scheduledEvent } from './lambda-context.ts';

export interface LocalAccessListSyncOptions {
  s3: S3Client;
  bucket: string;
  /** The handler's environment (stand-in endpoints, secret id, bucket, mode). */
  env: Record<string, string>;
  /** The Lambda timeout the handler believes it has. */
  timeoutMs: number;
  /** How often the desired-state object (and file) is checked for a change. */
  pollMs: number;
  /** Runs on this schedule too, when given. */
  everyMs?: number;
  /**
   * A file mirrored into the desired-state object whenever it changes; created from the demo document when
   * missing. Without it, the demo document is put in the bucket unless an object is there already.
   */
  desiredStateFile?: string;
  /** Called after each run with its summary and its text report. */
  onRun?: (summary: AccessListSyncSummary, text: string | undefined) => void;
  /** Called when a run fails (an invalid document, credentials, …) or a check of the object fails. */
  onError?: (error: unknown) => void;
}

export interface LocalAccessListSync {
  /** `s3://<bucket>/access-list/desired-state.json`. */
  desiredStateUri: string;
  /** The environment the handler runs with. */
  env: Record<string, string>;
  desiredStateFile: string | undefined;
  /** Invokes the handler once, after any run already going (as the schedule would: a ScheduledEvent). */
  invoke(event?: unknown): Promise<AccessListSyncSummary>;
  /** Replaces the desired-state object (the next check notices it and starts a run). */
  putDesiredState(text: string): Promise<void>;
  /** The text report of a run, from the S3 stand-in. */
  reportText(summary: AccessListSyncSummary): Promise<string | undefined>;
  /** Every run's summary so far, oldest first. */
  runs(): readonly AccessListSyncSummary[];
  /** Resolves once the object has been checked since the call and every run it started has ended. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const FUNCTION_NAME = 'atlas-ops-access-list-sync';

export async function startLocalAccessListSync(
  options: LocalAccessListSyncOptions,
): Promise<LocalAccessListSync> {
  const { s3, bucket } = options;
  const key = DESIRED_STATE_KEY;
  const handler = createAccessListSyncHandler(options.env);
  const summaries: AccessListSyncSummary[] = [];
  const report = (error: unknown) => options.onError?.(error);

  // One run at a time, in the order asked.
  let runs: Promise<unknown> = Promise.resolve();
  const invoke = (event: unknown): Promise<AccessListSyncSummary> => {
    const run = runs.then(async () => {
      const summary = (await handler(
        event,
        lambdaContext(FUNCTION_NAME, options.timeoutMs),
      )) as AccessListSyncSummary;
      summaries.push(summary);
      return summary;
    });
    runs = run.catch(() => undefined);
    return run;
  };
  const reportText = async (summary: AccessListSyncSummary) => {
    if (!summary.keys) return undefined;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: summary.keys.text }));
    return object.Body?.transformToString('utf8');
  };
  const notify = (event: unknown) =>
    invoke(event)
      .then(async (summary) => options.onRun?.(summary, await reportText(summary)))
      .catch(report);

  const putDesiredState = async (text: string) => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json' }),
    );
  };

  // The emulated S3 event notification: a new ETag on the object is an ObjectCreated event.
  let lastETag: string | undefined;
  const check = async () => {
    const eTag = await headETag(s3, bucket, key);
    if (eTag === undefined || eTag === lastETag) return;
    lastETag = eTag;
    void notify(objectCreatedEvent(bucket, key, eTag));
  };
  let checks: Promise<void> = Promise.resolve();
  const checkInTurn = () => {
    checks = checks.then(check).catch(report);
    return checks;
  };

  const file = options.desiredStateFile;
  if (file) {
    if (!existsSync(file)) {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, demoDesiredStateText());
    }
    await putDesiredState(await readFile(file, 'utf8'));
  } else if ((await headETag(s3, bucket, key)) === undefined) {
    await putDesiredState(demoDesiredStateText());
  }
  if (file) {
    watchFile(file, { interval: options.pollMs }, (now, before) => {
      if (now.mtimeMs === before.mtimeMs) return;
      readFile(file, 'utf8').then(putDesiredState).then(checkInTurn, report);
    });
  }

  const poller = setInterval(checkInTurn, options.pollMs);
  const schedule =
    options.everyMs === undefined
      ? undefined
      : setInterval(() => void notify(scheduledEvent()), options.everyMs);
  await checkInTurn();

  return {
    desiredStateUri: `s3://${bucket}/${key}`,
    env: options.env,
    desiredStateFile: file,
    invoke: (event = scheduledEvent()) => invoke(event),
    putDesiredState,
    reportText,
    runs: () => summaries,
    async idle() {
      await checkInTurn();
      // A run may queue another (a change seen while it ran): wait until the chain stops growing.
      for (let tail = runs; ; tail = runs) {
        await tail;
        if (tail === runs) return;
      }
    },
    async stop() {
      clearInterval(poller);
      if (schedule) clearInterval(schedule);
      if (file) unwatchFile(file);
      await checks;
      await runs;
    },
  };
}

/** The object's ETag, or undefined when there is no object. */
async function headETag(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag ?? '';
  } catch (error) {
    // HeadObject answers a missing key with a bare 404 (`NotFound`).
    if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) return undefined;
    throw error;
  }
}

/** The event S3 sends a Lambda destination for a PUT (the fields the handler and a reader look at). */
function objectCreatedEvent(bucket: string, key: string, eTag: string): Record<string, unknown> {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), eTag: eTag.replace(/"/g, '') },
        },
      },
    ],
  };
}
