/** In-memory stand-ins for the intake's adapters, and signed example deliveries. */
import { vi } from 'vitest';
import { type ExampleOperation, exampleDelivery } from '../../../../local/webhook-examples.ts';
import type { OperationStatusRecord } from '../../../../shared/operations/status.ts';
import type { ClaimResult, DeliveryKey, DeliveryStore } from '../../../../shared/webhooks/delivery-store.ts';
import {
  type IntakeLogger,
  WebhookIntake,
  type WebhookIntakeOptions,
} from '../../../../shared/webhooks/intake.ts';
import { DEFAULT_RULES } from '../../../../shared/webhooks/rules.ts';
import { signDelivery } from '../../../../shared/webhooks/schemes.ts';
import type { WebhookSecretSet } from '../../../../shared/webhooks/secrets.ts';
import type { WebhookSource } from '../../../../shared/webhooks/sources.ts';

export const SECRETS = {
  jira: 'jira-secret-for-unit-tests',
  github: 'github-secret-for-unit-tests',
  zendesk: 'zendesk-secret-for-unit-tests',
  servicenow: 'servicenow-token-for-unit-tests',
  standard: `whsec_${Buffer.from('standard-secret-for-unit-tests!!').toString('base64')}`,
} as const satisfies Record<WebhookSource, string>;

export const GROUP_ID = '5f1b2c3d4e5f6a7b8c9d0e1f';
export const OPERATION: ExampleOperation = {
  type: 'projectAccessList.add',
  params: { groupId: GROUP_ID, entries: [{ cidrBlock: '10.8.0.0/16', comment: 'VPN' }] },
};
export const NOW = new Date('2026-11-29T10:00:00Z');

export class MemoryDeliveries implements DeliveryStore {
  readonly items = new Map<string, { operationId: string; state: 'PENDING' | 'ENQUEUED' }>();
  async claim(key: DeliveryKey, operationId: string): Promise<ClaimResult> {
    const existing = this.items.get(keyOf(key));
    if (existing?.state === 'ENQUEUED') return { outcome: 'duplicate', operationId: existing.operationId };
    if (existing) return { outcome: 'in-progress', operationId: existing.operationId };
    this.items.set(keyOf(key), { operationId, state: 'PENDING' });
    return { outcome: 'claimed' };
  }
  async confirm(key: DeliveryKey): Promise<void> {
    const item = this.items.get(keyOf(key));
    if (item) item.state = 'ENQUEUED';
  }
  async release(key: DeliveryKey): Promise<void> {
    if (this.items.get(keyOf(key))?.state === 'PENDING') this.items.delete(keyOf(key));
  }
}
const keyOf = (key: DeliveryKey) => `${key.source}#${key.deliveryId}`;

export class MemoryStatus {
  readonly records = new Map<string, OperationStatusRecord>();
  get = vi.fn(async (id: string) => this.records.get(id));
  recordPending = vi.fn(async (id: string, info: { type: string; dryRun?: boolean | undefined }) => {
    if (this.records.has(id)) return;
    this.records.set(id, {
      id,
      type: info.type,
      status: 'PENDING',
      attempts: 0,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      expiresAt: 0,
      payloadHash: 'internal',
      ...(info.dryRun ? { dryRun: true } : {}),
    });
  });
}

/** Every log line, as the JSON a logger would write. */
export function capturingLogger(): IntakeLogger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, attributes: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...attributes }));
  };
  return { lines, info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
}

export function intakeWith(
  overrides: Partial<WebhookIntakeOptions> = {},
  set: WebhookSecretSet = allSecrets(),
) {
  const deliveries = new MemoryDeliveries();
  const status = new MemoryStatus();
  const queue = { send: vi.fn(async (messages: readonly object[]) => messages.map((_, i) => `m-${i}`)) };
  const secrets = { get: vi.fn(async () => set), refresh: vi.fn(async () => set) };
  const logger = capturingLogger();
  const intake = new WebhookIntake({
    secrets,
    rules: DEFAULT_RULES,
    deliveries,
    queue,
    status,
    logger,
    now: () => NOW,
    ...overrides,
  });
  return { intake, deliveries, status, queue, secrets, logger };
}

export function allSecrets(): WebhookSecretSet {
  return Object.fromEntries(Object.entries(SECRETS).map(([source, secret]) => [source, [secret]]));
}

export interface SignedOptions {
  approved?: boolean;
  deliveryId?: string;
  secret?: string;
  now?: Date;
  body?: unknown;
  ref?: string | number;
}

/** A delivery of `source` as its sender would post it, signed with the unit-test secret. */
export function signed(source: WebhookSource, options: SignedOptions = {}) {
  const body = Buffer.from(
    JSON.stringify(
      options.body ??
        exampleDelivery(source, OPERATION, { approved: options.approved ?? true, ref: options.ref }),
    ),
  );
  return signedBytes(source, body, options);
}

/** `body`, exactly these bytes, signed as `source` signs. */
export function signedBytes(source: WebhookSource, body: Buffer, options: SignedOptions = {}) {
  const headers = signDelivery(source, body, options.secret ?? SECRETS[source], {
    deliveryId: options.deliveryId ?? `delivery-${source}-1`,
    now: options.now ?? NOW,
  });
  return { source: source as string, method: 'POST', headers, body, baseUrl: 'https://api.example.com' };
}
