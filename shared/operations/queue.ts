/**
 * What senders of operations (the webhook intake, the CLI, the local stack) need from the provisioning queue;
 * shared/operations/adapters/operation-queue.ts implements it on SQS. What the provisioner needs from the same queue as the
 * worker taking its work from it (defer a retry, dead-letter) is the generic `WorkQueue`
 * (shared/queue-worker/work-queue.ts).
 */

export interface OperationQueue {
  /** Sends operation messages; resolves to the queue's message ids in the input's order. */
  send(messages: readonly object[]): Promise<string[]>;
}
