/**
 * What an operation type is: a name, a params schema, an idempotency rule, a plan (what a dry run reports)
 * and an executor on the typed Atlas client. One module per type declares one `OperationDefinition`;
 * registry.ts lists them.
 */
import type { AtlasClient, CallOptions } from '../atlas/index.ts';
import type * as z from '../config/zod.ts';

/** One request an operation would send: a dry run reports these and sends nothing. */
export interface PlannedRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /**
   * Path after `/api/atlas/v2`, query included, with the values filled in (URL-encoded as the client sends
   * them). A value that only Atlas's answer to an earlier request can give stays a `{placeholder}`.
   */
  path: string;
  /** The JSON body, for writes that have one. */
  body?: unknown;
}

/** What an executor runs with: the client (built once per process) and the time it may take. */
export interface OperationContext {
  atlas: AtlasClient;
  /** Passed to every Atlas call, so an operation never runs past the Lambda's remaining time. */
  callOptions?: CallOptions;
}

/** One operation type of the provisioning queue. */
export interface OperationDefinition<P = unknown> {
  /** The message's `type`, e.g. `networkPeering.create`. */
  type: string;
  /** One line, for docs and `atlas-ops help`. */
  summary: string;
  /**
   * What a run changes, as a ticket's reader checks it: the project or organization id and the entries,
   * peer, namespace or user (`project 5f1b…: 10.8.0.0/16`). The ticket comment and the outcome say it.
   */
  target(params: P): string;
  /** Checks a message's `params`; every failure names its field. */
  params: z.core.$ZodType<P>;
  /** One sentence: what "already done" looks like, and why a repeat of the operation is safe. */
  idempotency: string;
  /**
   * The requests a run would send when nothing is done yet: the checks first, then the change (which a run
   * skips when a check finds it done). Sends nothing.
   */
  plan(params: P): PlannedRequest[];
  /** Runs the operation; resolves to the result JSON to store. Atlas errors propagate unchanged. */
  execute(params: P, context: OperationContext): Promise<unknown>;
}

/** Declares an operation type; the identity function that lets TypeScript check params, plan and execute together. */
export function defineOperationType<P>(definition: OperationDefinition<P>): OperationDefinition<P> {
  return definition;
}
