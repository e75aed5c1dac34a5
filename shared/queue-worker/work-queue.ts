/**
 * The queue a worker takes its work from, as the worker's record processor needs it: hide a message for its
 * retry, move a message to the queue's dead-letter queue. The provisioner's is the provisioning queue, the
 * notifier's the outcomes queue; shared/queue-worker/adapters/work-queue.ts implements it on SQS. Sending to a queue is not
 * part of it: what a queue carries decides that (shared/operations/queue.ts for operations).
 */

/** String attributes on a dead-lettered message, so an operator can triage it without parsing the body. */
export interface DeadLetterAttributes {
  reason: string;
  detail?: string | undefined;
  operationId?: string | undefined;
  receiveCount?: string | undefined;
}

export interface WorkQueue {
  /** Hides a received message for `visibilitySeconds`, so its next delivery (its retry) comes no sooner. */
  deferRetry(receiptHandle: string, visibilitySeconds: number): Promise<void>;
  /** Parks `body` on the dead-letter queue with the reason; resolves to the new message's id. */
  moveToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<string>;
}
