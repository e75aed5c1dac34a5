/**
 * Where a running `npm start` says its endpoints are, so `atlas-ops enqueue` and `atlas-ops status` reach the
 * local queue and table by default. Written at start, removed at stop. The only secrets it holds are fixed and
 * local-only: the webhook intake's (docs/webhooks.md), so a script can sign its own requests, and the
 * simulator's service account.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RunningWorker } from '../local/stack.ts';
import { UsageError } from './command.ts';

export interface LocalStackFile {
  sqsEndpoint: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  dynamoEndpoint: string;
  table: string;
  atlasUrl: string;
  /**
   * The simulator's own service account (fixed, local-only: docs/simulator.md), so `run`, `sync` and
   * `inventory` reach the running simulator when no credentials are given.
   */
  atlas?: { url: string; clientId: string; clientSecret: string };
  /**
   * The local webhook intake: its URL, each source's local-only secret, and each source's sender scope and
   * approvers (who may ask, who may approve), so a script can send as an approver.
   */
  webhooks?: {
    url: string;
    secrets: Record<string, string>;
    scope: Record<string, string | readonly string[]>;
    approvers: Record<string, string | readonly string[]>;
  };
  /**
   * The EventBridge Scheduler stand-in where temporary grants schedule their end, and their group: `atlas-ops
   * access list` reads it; `POST {url}/__scheduler/advance {"ms": N}` moves its time.
   */
  scheduler?: { url: string; group: string };
  /** The ticketing stand-in the notifier tells outcomes to (`GET {url}/__received`). */
  tickets?: { url: string };
  /** Every worker running, in the order of the workers list (functions/workers.ts), with its queues. */
  workers?: RunningWorker[];
  pid: number;
}

export const LOCAL_STACK_FILE = resolve('.atlas-ops/local-stack.json');

export async function writeLocalStackFile(info: LocalStackFile): Promise<void> {
  await mkdir(dirname(LOCAL_STACK_FILE), { recursive: true });
  await writeFile(LOCAL_STACK_FILE, `${JSON.stringify(info, null, 2)}\n`);
}

export async function removeLocalStackFile(): Promise<void> {
  await rm(LOCAL_STACK_FILE, { force: true });
}

/** The running local stack's endpoints; a usage error telling how to start one when there is none. */
export async function readLocalStackFile(hint: string): Promise<LocalStackFile> {
  let info: LocalStackFile;
  try {
    info = JSON.parse(await readFile(LOCAL_STACK_FILE, 'utf8')) as LocalStackFile;
  } catch {
    throw new UsageError(`no local stack is running here (start one with npm start), or ${hint}`);
  }
  try {
    process.kill(info.pid, 0);
  } catch {
    throw new UsageError(
      `the local stack that wrote ${LOCAL_STACK_FILE} is no longer running; start one with npm start, or ${hint}`,
    );
  }
  return info;
}

/** Where a running `npm start` keeps its process id, so a second one in the same checkout refuses to start. */
export const LOCAL_STACK_PID_FILE = resolve('.atlas-ops/start.pid');

/**
 * Claims this checkout for one local stack: refused, with the running one's pid, when another `npm start` is
 * running here; a pid file left by one that died is taken over. Release it when the stack stops.
 */
export async function claimLocalStack(): Promise<{ release(): Promise<void> }> {
  await mkdir(dirname(LOCAL_STACK_PID_FILE), { recursive: true });
  const running = await runningPid();
  if (running !== undefined) {
    throw new UsageError(
      `a local stack is already running in this checkout (pid ${running}); use it from this shell, or stop it (Ctrl-C in its shell) first`,
    );
  }
  await writeFile(LOCAL_STACK_PID_FILE, `${process.pid}\n`);
  return {
    async release() {
      // Only our own: a stack started after this one stopped must keep its claim.
      if ((await runningPid()) === process.pid) await rm(LOCAL_STACK_PID_FILE, { force: true });
    },
  };
}

/** The pid in the pid file when that process is alive; undefined when there is none or it has ended. */
async function runningPid(): Promise<number | undefined> {
  const text = await readFile(LOCAL_STACK_PID_FILE, 'utf8').catch(() => undefined);
  const pid = Number(text?.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it runs, as another user; ESRCH: it is gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
