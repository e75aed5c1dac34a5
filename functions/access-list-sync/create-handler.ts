/**
 * The access-list sync (EventBridge Scheduler and an S3 event notification on the desired-state object →
 * Lambda, invoked asynchronously; reserved concurrency 1, so never two runs at once). Wiring only: the
 * configuration, the worker kit and the S3 stores are built once per container (or once per local stack,
 * which passes its own environment); the run is `runAccessListSync` in shared/access-list.
 *
 * Whatever triggered it, a run reads the desired-state object as it is now (a burst of changes needs one run,
 * not one per event), plans every declared list, applies the plans in `apply` mode, and stores its report.
 * A failed run is retried by Lambda; that is safe, since each run plans afresh from what Atlas lists.
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  S3DesiredStateSource,
  S3ManagedEntriesStore,
  S3SyncReportStore,
} from '../../shared/access-list/adapters/access-list-store.ts';
import { parseDesiredState } from '../../shared/access-list/desired-state.ts';
import { recordSyncMetrics } from '../../shared/access-list/metrics.ts';
import type { SyncMode } from '../../shared/access-list/model.ts';
import { renderSyncReport } from '../../shared/access-list/report.ts';
import { runAccessListSync } from '../../shared/access-list/run.ts';
import { createAtlasWorkerKit } from '../../shared/lambda/worker-kit.ts';
import { loadAccessListSyncConfig } from './env.ts';

/** What one run returns to its caller (the scheduler and S3 ignore it; the local stack and tests read it). */
export interface AccessListSyncSummary {
  /** `noDesiredState`: the object does not exist yet, so there was nothing to do. */
  status: 'done' | 'noDesiredState';
  mode: SyncMode;
  /**
   * What started the run: `s3 <key>` (the desired state changed), `schedule` (a scheduled event), or `direct`
   * (any other invocation: by hand, or a schedule target that sends no event of its own).
   */
  trigger: string;
  desiredState: string;
  generatedAt?: string;
  lists?: number;
  listsInDrift?: number;
  added?: number;
  removed?: number;
  refused?: number;
  failed?: number;
  location?: string;
  keys?: { json: string; text: string };
}

/**
 * Builds the handler for an environment: Lambda passes `process.env`; the local stack and tests pass theirs
 * (with `AWS_ENDPOINT_URL_*` pointing at the stand-ins).
 */
export function createAccessListSyncHandler(env: Record<string, string | undefined>) {
  const config = loadAccessListSyncConfig(env);
  const kit = createAtlasWorkerKit({ env, secretId: config.secretId, reserveMs: config.reserveMs });
  const s3 = kit.traced(new S3Client({ forcePathStyle: config.forcePathStyle, ...kit.awsEndpoint('S3') }));
  const desired = new S3DesiredStateSource({ s3, bucket: config.bucket, key: config.desiredStateKey });
  const managed = new S3ManagedEntriesStore({ s3, bucket: config.bucket, key: config.managedEntriesKey });
  const reports = new S3SyncReportStore({ s3, bucket: config.bucket, prefix: config.reportPrefix });

  return kit.handler(async (event: unknown, context): Promise<AccessListSyncSummary> => {
    const trigger = triggerOf(event);
    const base = { mode: config.mode, trigger, desiredState: desired.location };
    const document = await desired.read();
    if (!document) {
      kit.logger.warn('No desired state yet: nothing to sync', { ...base });
      return { status: 'noDesiredState', ...base };
    }
    // An invalid document fails the run (the errors alarm) with every bad field named; nothing is sent. So
    // does one declaring a wide network, unless the stack allows them (runAccessListSync).
    const state = parseDesiredState(document.text);
    const report = await context.atlas.run((atlas) =>
      runAccessListSync({
        atlas,
        desired: state,
        mode: config.mode,
        managed,
        staticEgress: config.staticEgressIps,
        limits: config.limits,
        callOptions: context.atlas.callOptions,
        source: {
          location: document.location,
          ...(document.versionId ? { versionId: document.versionId } : {}),
        },
      }),
    );
    recordSyncMetrics(kit.metrics, report);
    const stored = await reports.write(report, renderSyncReport(report));
    const summary: AccessListSyncSummary = {
      status: 'done',
      ...base,
      generatedAt: report.generatedAt,
      lists: report.totals.lists,
      listsInDrift: report.totals.listsInDrift,
      added: report.totals.added,
      removed: report.totals.removed,
      refused: report.totals.refused,
      failed: report.totals.failed,
      location: stored.location,
      keys: stored.keys,
    };
    if (report.totals.refused > 0 || report.totals.failed > 0) {
      kit.logger.warn('Access-list sync: changes refused or failed', { ...summary, errors: report.errors });
    } else {
      kit.logger.info('Access-list sync stored its report', { ...summary });
    }
    return summary;
  });
}

/** `s3 <key>` for an S3 event notification, `schedule` for a scheduled event, `direct` otherwise. */
function triggerOf(event: unknown): string {
  const record = (event as { Records?: { eventSource?: string; s3?: { object?: { key?: string } } }[] })
    ?.Records?.[0];
  if (record?.eventSource === 'aws:s3') {
    // S3 URL-encodes the key in events (spaces as `+`).
    const key = decodeURIComponent((record.s3?.object?.key ?? '').replace(/\+/g, ' '));
    return `s3 ${key}`;
  }
  if ((event as { source?: string })?.source === 'aws.scheduler') return 'schedule';
  return 'direct';
}
