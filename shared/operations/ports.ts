/**
 * What the temporary-access operation types need beyond Atlas, declared here and implemented in ./adapters/:
 * a vault for the credentials they generate (Secrets Manager) and a scheduler that puts an operation message
 * on the provisioning queue at a time (EventBridge Scheduler one-time schedules). The provisioner gives both;
 * `atlas-ops run` gives neither, and a type that needs one says so instead of running half.
 */

/** Who asked for an operation, as the operation message says it (./message.ts). */
export interface Requester {
  source: string;
  ref?: string;
  actor?: string;
}

/**
 * A message the provisioner will be sent later, as the queue takes it (./message.ts checks it when it
 * arrives): declared here, not imported, so the operation types need not import the message parser.
 */
export interface ScheduledMessage {
  id: string;
  type: string;
  params: unknown;
  requestedBy?: Requester;
  approvedBy?: string;
}

/** The operation being run, as an executor may need it: its id names what it leaves behind. */
export interface RunningOperation {
  id: string;
  requestedBy?: Requester;
  approvedBy?: string;
}

/** A secret the vault holds: where it is (its ARN, which the outcome and the ticket name), never its value. */
export interface StoredCredential {
  name: string;
  arn: string;
}

export interface CredentialVault {
  /**
   * Keeps `value` under `name`, unless a secret of that name exists: then it resolves to the value that one
   * holds, so a retried operation uses the password it generated the first time. `tags` say what it is for
   * and until when. Nobody new may read it: that is `share`, once the credential is known to be the caller's.
   */
  keep(
    name: string,
    value: string,
    options: { description: string; tags: Record<string, string> },
  ): Promise<StoredCredential & { value: string; created: boolean }>;
  /** Lets `readers` (IAM principal ARNs) read the secret: its resource policy, replaced. */
  share(name: string, readers: readonly string[]): Promise<void>;
  /** Replaces the tags' values (a new expiry). Resolves false when there is no such secret. */
  retag(name: string, tags: Record<string, string>): Promise<boolean>;
  /** Deletes the secret at once, without a recovery window. Resolves false when there was none. */
  remove(name: string): Promise<boolean>;
}

/** A message put on the provisioning queue at a time, once. */
export interface OperationScheduler {
  /**
   * Schedules `message` for `at` under `name`. A schedule of that name is replaced with `replace` (an extend
   * moves the end) and kept otherwise (a retried grant keeps what its first attempt decided): resolves to
   * whether this call set it.
   */
  scheduleAt(
    name: string,
    at: Date,
    message: ScheduledMessage,
    options: { replace: boolean },
  ): Promise<boolean>;
  /** Cancels the schedule; resolves false when there was none (it fired, or never was). */
  cancel(name: string): Promise<boolean>;
  /** Every end not reached yet: what access is in force (`atlas-ops access list`). */
  pending(): Promise<PendingEnd[]>;
}

/** A schedule that has not fired: the operation it will send, and when. */
export interface PendingEnd {
  name: string;
  at: Date;
  message: ScheduledMessage;
}
