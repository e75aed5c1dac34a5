/**
 * "Do this once" claims in the operations table, for work that must happen at most once per key while the
 * one doing it may die halfway: a conditional put takes the key PENDING with a lease; the holder marks it DONE
 * when the work is done, or releases it on a failure so that a retry can take it. A PENDING claim whose lease
 * ran out (its holder died) may be taken over, and an item past its TTL counts as absent (DynamoDB deletes
 * expired items late). The webhook intake's delivery ids and the notifier's told-once marks both use it, each
 * under its own key prefix (operation ids never hold `#`, so these keys cannot be an operation's).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export type ClaimState = 'PENDING' | 'DONE';

export interface LeasedClaimsOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long a PENDING claim holds before another may take it over, in seconds. */
  leaseSeconds: number;
  /** How long an item is kept (the table's TTL attribute `expiresAt`), in seconds. */
  ttlSeconds: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/** A claim taken, or the item that holds the key (undefined when it vanished in between). */
export type ClaimAnswer = { claimed: true } | { claimed: false; holder: Record<string, unknown> | undefined };

export class LeasedClaims {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #leaseSeconds: number;
  readonly #ttlSeconds: number;
  readonly #now: () => Date;

  constructor(options: LeasedClaimsOptions) {
    this.#client = options.client;
    this.#table = options.table;
    this.#leaseSeconds = options.leaseSeconds;
    this.#ttlSeconds = options.ttlSeconds;
    this.#now = options.now ?? (() => new Date());
  }

  /** Takes `id` PENDING with `attributes`, unless someone holds it; then answers with the holder's item. */
  async claim(id: string, attributes: Record<string, unknown> = {}): Promise<ClaimAnswer> {
    const now = this.#seconds();
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...attributes,
            id,
            state: 'PENDING' satisfies ClaimState,
            leaseUntil: now + this.#leaseSeconds,
            expiresAt: now + this.#ttlSeconds,
          },
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiresAt < :now OR (#state = :pending AND #leaseUntil < :now)',
          ExpressionAttributeNames: {
            '#id': 'id',
            '#expiresAt': 'expiresAt',
            '#state': 'state',
            '#leaseUntil': 'leaseUntil',
          },
          ExpressionAttributeValues: { ':now': now, ':pending': 'PENDING' satisfies ClaimState },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // dynalite ignores ReturnValuesOnConditionCheckFailure, so read the item that stopped us.
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#table, Key: { id }, ConsistentRead: true }),
    );
    return { claimed: false, holder: Item };
  }

  /** Marks `id` DONE (with `attributes`), kept for the TTL from now; it answers every later claim. */
  async done(id: string, attributes: Record<string, unknown> = {}): Promise<void> {
    const sets = Object.keys(attributes).map((_, i) => `#a${i} = :a${i}`);
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { id },
        UpdateExpression: `SET ${['#state = :done', '#expiresAt = :expiresAt', ...sets].join(', ')} REMOVE #leaseUntil`,
        ConditionExpression: 'attribute_exists(#id)',
        ExpressionAttributeNames: {
          '#id': 'id',
          '#state': 'state',
          '#expiresAt': 'expiresAt',
          '#leaseUntil': 'leaseUntil',
          ...Object.fromEntries(Object.keys(attributes).map((name, i) => [`#a${i}`, name])),
        },
        ExpressionAttributeValues: {
          ':done': 'DONE' satisfies ClaimState,
          ':expiresAt': this.#seconds() + this.#ttlSeconds,
          ...Object.fromEntries(Object.values(attributes).map((value, i) => [`:a${i}`, value])),
        },
      }),
    );
  }

  /** Gives a PENDING claim back (the work failed; a retry may take it); a DONE item is never released. */
  async release(id: string): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { id },
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'PENDING' satisfies ClaimState },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  #seconds(): number {
    return Math.floor(this.#now().getTime() / 1000);
  }
}
