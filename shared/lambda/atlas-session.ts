/**
 * An Atlas session per invocation: a client for the current credentials and the deadline of the invocation.
 * Credentials come from a source that may fail or change (a Secrets Manager secret that is rotated, throttled
 * or briefly malformed), so the session asks the source on every `run`: a failed read is never kept, and the
 * next run reads again. When Atlas refuses the credentials themselves (`isCredentialRejection`), the secret
 * may have been rotated under us: the session fetches it again once and runs the work once more.
 * The middleware also reports what the invocation cost in Atlas calls, the same three metrics for every worker.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  type AtlasCallStats,
  AtlasClient,
  type AtlasClientOptions,
  type AtlasConnection,
  type CallOptions,
  deadlineFromLambdaContext,
  isCredentialRejection,
} from '../atlas/index.ts';
import { ATLAS_CALL_METRICS } from '../atlas/metrics.ts';
import { metricRecorder } from '../config/metrics.ts';

/** Where credentials come from: `SecretAtlasConnection` in Lambda, the environment in the CLI. */
export interface AtlasConnectionSource {
  /** The connection, possibly cached; rejects when it cannot be read (and keeps nothing of the failure). */
  get(): Promise<AtlasConnection>;
  /** The connection read again, whatever a cache holds. */
  refresh(): Promise<AtlasConnection>;
}

/** What a handler gets for one invocation. */
export interface AtlasSession {
  /** Epoch ms by which Atlas work must stop, leaving the reserve for recording results. */
  readonly deadline: number | undefined;
  /** The options to pass to every Atlas call of the invocation (the deadline). */
  readonly callOptions: CallOptions;
  /**
   * Runs `work` with a client for the current credentials. If Atlas refuses the credentials, fetches them
   * again and runs `work` once more; every other error propagates unchanged.
   */
  run<T>(work: (atlas: AtlasClient) => Promise<T>): Promise<T>;
  /** What the session's runs have cost so far: requests sent (retries included), retries, 429 answers. */
  readonly calls: Readonly<AtlasCallStats>;
}

/** A Lambda context with the invocation's Atlas session on it (set by the `atlasSession` middleware). */
export type AtlasSessionContext = Context & { atlas: AtlasSession };

export interface AtlasSessionsOptions {
  connection: AtlasConnectionSource;
  /** Options of every client made (retry policy, logger, dispatcher); not credentials or base URL. */
  client?: Omit<AtlasClientOptions, 'credentials' | 'baseUrl'>;
}

/**
 * Makes sessions; built once per container (or per CLI run). Keeps one client while the credentials stay the
 * same object (the connection source parses a secret once per value), so keep-alive connections and the
 * service-account token are reused across invocations.
 */
export class AtlasSessions {
  readonly #source: AtlasConnectionSource;
  readonly #clientOptions: Omit<AtlasClientOptions, 'credentials' | 'baseUrl'>;
  #current: { connection: AtlasConnection; client: AtlasClient } | undefined;

  constructor(options: AtlasSessionsOptions) {
    this.#source = options.connection;
    this.#clientOptions = options.client ?? {};
  }

  /** A session whose calls stop by `deadline` (epoch ms); none when the caller has no time limit. */
  open(deadline?: number): AtlasSession {
    const sessions = this;
    const callOptions: CallOptions = deadline === undefined ? {} : { deadline };
    const calls: AtlasCallStats = { requests: 0, retries: 0, throttled: 0 };
    // The client outlives the session (its counters are the container's), so a session counts the difference.
    const counted = async <T>(atlas: AtlasClient, work: (atlas: AtlasClient) => Promise<T>): Promise<T> => {
      const before = { ...atlas.stats };
      try {
        return await work(atlas);
      } finally {
        calls.requests += atlas.stats.requests - before.requests;
        calls.retries += atlas.stats.retries - before.retries;
        calls.throttled += atlas.stats.throttled - before.throttled;
      }
    };
    return {
      deadline,
      callOptions,
      calls,
      async run<T>(work: (atlas: AtlasClient) => Promise<T>): Promise<T> {
        try {
          return await counted(await sessions.#client(false), work);
        } catch (error) {
          if (!isCredentialRejection(error)) throw error;
          return counted(await sessions.#client(true), work);
        }
      },
    };
  }

  /** Revokes the service-account token of the current client (a CLI run should not leave one live). */
  async close(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    await current?.client.revoke();
  }

  async #client(refresh: boolean): Promise<AtlasClient> {
    const connection = refresh ? await this.#source.refresh() : await this.#source.get();
    if (this.#current?.connection !== connection) {
      this.#current = {
        connection,
        client: new AtlasClient({
          ...this.#clientOptions,
          credentials: connection.credentials,
          baseUrl: connection.baseUrl,
        }),
      };
    }
    return this.#current.client;
  }
}

export interface AtlasSessionMiddlewareOptions {
  /** Time kept back from the Lambda's remaining time to record results and answer. */
  reserveMs: number;
  /**
   * Where the invocation's Atlas calls are counted — `AtlasCalls`, `AtlasRetries`, `AtlasThrottled` — when
   * it ends, with or without an error (before `logMetrics` flushes: middy runs `after` hooks in reverse).
   */
  metrics?: Metrics;
}

/** Puts `context.atlas`, a session with the invocation's deadline, on every invocation. */
export function atlasSession(
  sessions: AtlasSessions,
  options: AtlasSessionMiddlewareOptions,
): MiddlewareObj<unknown, unknown, Error, Context> {
  const recordCalls = (context: Context): void => {
    const calls = (context as Partial<AtlasSessionContext>).atlas?.calls;
    if (!options.metrics || !calls) return;
    const record = metricRecorder(options.metrics, ATLAS_CALL_METRICS);
    record('AtlasCalls', calls.requests);
    record('AtlasRetries', calls.retries);
    record('AtlasThrottled', calls.throttled);
  };
  return {
    name: 'atlasSession',
    before(request) {
      const context = request.context as AtlasSessionContext;
      context.atlas = sessions.open(deadlineFromLambdaContext(request.context, options.reserveMs));
    },
    after: (request) => recordCalls(request.context),
    onError: (request) => recordCalls(request.context),
  };
}
