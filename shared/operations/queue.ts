/** What the provisioning worker needs from its queue; shared/aws/operation-queue.ts implements it on SQS. */

/** String attributes on a dead-lettered message, so an operator can triage it without parsing the body. */
export interface DeadLetterAttributes {
  reason: string;
  detail?: string | undefined;
  operationId?: string | undefined;
  receiveCount?: string | undefined;
}

export interface OperationQueue {
  /** Sends operation messages; resolves to the queue's message ids in the input's order. */
  send(messages: readonly object[]): Promise<string[]>;
  /** Hides a received message for `visibilitySeconds`, so its next delivery (its retry) comes no sooner. */
  deferRetry(receiptHandle: string, visibilitySeconds: number): Promise<void>;
  /** Parks `body` on the dead-letter queue with the reason; resolves to the new message's id. */
  moveToDeadLetter(body: string, attributes: DeadLetterAttributes): Promise<string>;
}
