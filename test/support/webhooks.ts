/** Integration-test support for the webhook intake on the local stack: signed deliveries over real HTTP. */
import { afterAll, beforeAll } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.ts';
import { type ExampleOperation, type ExampleOptions, exampleDelivery } from '../../local/webhook-examples.ts';
import type { LocalWebhooks } from '../../local/webhooks.ts';
import { signDelivery } from '../../shared/webhooks/schemes.ts';
import type { WebhookSource } from '../../shared/webhooks/sources.ts';

/**
 * Registers the file's hooks: one local stack for the whole file (retries at once, queues polled every 10 ms),
 * Powertools metrics off and logs at `logLevel` while it runs. Returns a getter for the running stack.
 */
export function useWebhookStack(options: { logLevel?: string } & LocalStackOptions = {}) {
  const { logLevel = 'ERROR', ...stackOptions } = options;
  const saved = { ...process.env };
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    // Set on the process, not stubbed per test: the intake reads them when it makes each delivery's metric.
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.POWERTOOLS_LOG_LEVEL = logLevel;
    stack = await startLocalStack({
      pollIntervalMs: 10,
      provisionerEnv: { RETRY_BASE_MS: '5', ATLAS_RETRY_BASE_MS: '20', POWERTOOLS_LOG_LEVEL: 'ERROR' },
      ...stackOptions,
    });
  });
  afterAll(async () => {
    await stack?.close();
    for (const name of ['POWERTOOLS_METRICS_DISABLED', 'POWERTOOLS_LOG_LEVEL']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  return () => {
    if (!stack?.webhooks) throw new Error('the local stack serves no webhook intake');
    return { stack, webhooks: stack.webhooks };
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A delivery as a sender posts it: the exact body bytes and the headers it sends. */
export interface Delivery {
  source: WebhookSource;
  body: Buffer;
  headers: Record<string, string>;
}

export interface SignOptions extends ExampleOptions {
  deliveryId?: string;
  /** Sign with this secret instead of the local stack's. */
  secret?: string;
  /** The sender's clock (stale timestamps). */
  now?: Date;
}

/** The example delivery of `source` carrying `operation`, signed as its sender signs. */
export function signedDelivery(
  webhooks: LocalWebhooks,
  source: WebhookSource,
  operation: ExampleOperation,
  options: SignOptions = {},
): Delivery {
  const body = Buffer.from(JSON.stringify(exampleDelivery(source, operation, options)));
  const headers = signDelivery(source, body, options.secret ?? webhooks.secrets[source], {
    ...(options.deliveryId ? { deliveryId: options.deliveryId } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { source, body, headers };
}

/** POSTs the delivery to the local intake and reads the JSON answer. */
export async function post(webhooks: LocalWebhooks, delivery: Delivery, path?: string): Promise<Answer> {
  const response = await fetch(`${webhooks.url}${path ?? `/webhooks/${delivery.source}`}`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** GETs a URL of the intake (a status URL) and reads the JSON answer. */
export async function get(url: string): Promise<Answer> {
  const response = await fetch(url);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** The header carrying the delivery's signature (or bearer token). */
export function signatureHeader(delivery: Delivery): string {
  return Object.keys(delivery.headers).find((name) => /signature|authorization/.test(name)) ?? '';
}

/**
 * A signature with one character in its middle changed: still well-formed, no longer right. The new character
 * is a digit, so it differs from the old one in any case (hex reads `a` and `A` as the same digit).
 */
export function tamper(value: string): string {
  const middle = Math.floor(value.length / 2);
  return `${value.slice(0, middle)}${value[middle] === '0' ? '1' : '0'}${value.slice(middle + 1)}`;
}
