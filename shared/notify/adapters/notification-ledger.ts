/**
 * Which outcomes the notifier told, in the operations table under `notified#<eventId>` (operation ids never
 * hold `#`, so these keys cannot be an operation's). A claim is a leased claim (./leased-claims.ts): two deliveries
 * of one event cannot both send, and a claim left by a crashed invocation expires after the lease.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LeasedClaims } from '../../aws/leased-claims.ts';
import type { NotificationLedger } from '../notifier.ts';

export const NOTIFIED_PREFIX = 'notified#';

export interface DynamoNotificationLedgerOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long a claim holds before another delivery may take it, in seconds. Default 120 (> the timeout). */
  leaseSeconds?: number;
  /** How long a SENT mark is kept (TTL), in days. Default 30, as status records. */
  ttlDays?: number;
  now?: () => Date;
}

export class DynamoNotificationLedger implements NotificationLedger {
  readonly #claims: LeasedClaims;
  readonly #now: () => Date;

  constructor(options: DynamoNotificationLedgerOptions) {
    this.#now = options.now ?? (() => new Date());
    this.#claims = new LeasedClaims({
      client: options.client,
      table: options.table,
      leaseSeconds: options.leaseSeconds ?? 120,
      ttlSeconds: Math.round((options.ttlDays ?? 30) * 86_400),
      now: this.#now,
    });
  }

  async claim(eventId: string): Promise<'claimed' | 'sent' | 'busy'> {
    const answer = await this.#claims.claim(key(eventId));
    if (answer.claimed) return 'claimed';
    return answer.holder?.state === 'DONE' ? 'sent' : 'busy';
  }

  async markSent(eventId: string): Promise<void> {
    await this.#claims.done(key(eventId), { sentAt: this.#now().toISOString() });
  }

  async release(eventId: string): Promise<void> {
    await this.#claims.release(key(eventId));
  }
}

function key(eventId: string): string {
  return `${NOTIFIED_PREFIX}${eventId}`;
}
