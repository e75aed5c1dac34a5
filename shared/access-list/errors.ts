/** Errors of the access-list sync's domain; the S3 and file adapters' own are in shared/aws/errors.ts. */
import type { FieldProblem } from '../atlas/index.ts';

/** Base of every error the access-list domain throws. */
export class AccessListError extends Error {
  override name = 'AccessListError';
}

/** The desired-state document is not JSON, or not a desired state: each bad field is named. Nothing was sent. */
export class DesiredStateError extends AccessListError {
  override name = 'DesiredStateError';
  /** Each bad field, by its path in the document (`projects.0.entries.2.cidrBlock`, …). */
  readonly problems: FieldProblem[];

  constructor(problems: FieldProblem[]) {
    super(`Invalid desired state: ${problems.map((p) => `${p.field}: ${p.description}`).join('; ')}`);
    this.problems = problems;
  }
}

/**
 * The record of the entries the sync added is not one (not JSON, wrong shape). The run stops rather than
 * guess: with no trustworthy record, `prune: managed` cannot tell the sync's entries from anyone else's.
 */
export class ManagedRecordError extends AccessListError {
  override name = 'ManagedRecordError';
}
