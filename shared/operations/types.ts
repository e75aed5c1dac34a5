/**
 * What an operation type is: a name, a params schema, an idempotency rule, a plan (what a dry run reports)
 * and an executor on the typed Atlas client. One module per type declares one `OperationDefinition`;
 * registry.ts lists them.
 */
import type { AtlasClient, CallOptions } from '../atlas/index.ts';
import type * as z from '../config/zod.ts';
import type { CredentialVault, OperationScheduler, RunningOperation } from './ports.ts';
import type { OperationTarget } from './target.ts';

/**
 * What a run of a type can do, which a policy weighs (shared/policy): `read` changes nothing; `additive` grants
 * or creates (an access-list entry, a peering, a namespace); `destructive` removes or cancels what a project
 * has; `organization` changes the organization itself (its invitations, its members). By default a policy
 * asks two distinct approvers for `destructive` and `organization`, one for the others.
 */
export type OperationRisk = 'read' | 'additive' | 'destructive' | 'organization';

/** Every risk class, in the order of increasing reach. */
export const OPERATION_RISKS: readonly OperationRisk[] = ['read', 'additive', 'destructive', 'organization'];

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
  /** The operation being run (the provisioner always says; `atlas-ops run` too). */
  operation?: RunningOperation;
  /** Where generated credentials are kept (the provisioner's; none for `atlas-ops run`). */
  vault?: CredentialVault;
  /** Puts a later operation on the provisioning queue (the provisioner's; none for `atlas-ops run`). */
  scheduler?: OperationScheduler;
  /** The clock expiries are reckoned from. Default `new Date()`. */
  now?: () => Date;
}

/** One operation type of the provisioning queue. */
export interface OperationDefinition<P = unknown> {
  /** The message's `type`, e.g. `networkPeering.create`. */
  type: string;
  /** One line, for docs and `atlas-ops help`. */
  summary: string;
  /** What a run can do (see `OperationRisk`): declared by every type, so a new one cannot leave it unsaid. */
  risk: OperationRisk;
  /**
   * What a run changes, and where: the project or organization (what a policy rule matches) and the entries,
   * peer, namespace or user (`project 5f1b…: 10.8.0.0/16` once `targetText` says it). The ticket comment and
   * the outcome say it.
   */
  target(params: P): OperationTarget;
  /** Checks a message's `params`; every failure names its field. */
  params: z.core.$ZodType<P>;
  /** One sentence: what "already done" looks like, and why a repeat of the operation is safe. */
  idempotency: string;
  /**
   * The requests a run would send when nothing is done yet: the checks first, then the change (which a run
   * skips when a check finds it done). Sends nothing.
   */
  plan(params: P): PlannedRequest[];
  /**
   * What the ticket hears when it succeeded, in one sentence, from the stored result (default: its fields,
   * shared/operations/outcome.ts). For a grant: what, to whom, where, until when, where the credentials are.
   */
  describeResult?(result: unknown): string;
  /** Runs the operation; resolves to the result JSON to store. Atlas errors propagate unchanged. */
  execute(params: P, context: OperationContext): Promise<unknown>;
}

/** Declares an operation type; the identity function that lets TypeScript check params, plan and execute together. */
export function defineOperationType<P>(definition: OperationDefinition<P>): OperationDefinition<P> {
  return definition;
}
