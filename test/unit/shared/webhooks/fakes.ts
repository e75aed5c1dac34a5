/** In-memory stand-ins for the intake's adapters, and signed example deliveries. */
import { vi } from 'vitest';
import { demoPolicyText } from '../../../../local/policy-demo.ts';
import { type ExampleOperation, exampleDelivery } from '../../../../local/webhook-examples.ts';
import { LOCAL_WEBHOOK_SENDERS } from '../../../../local/webhooks.ts';
import type { OutcomeEvent } from '../../../../shared/operations/outcome.ts';
import { OPERATION_TYPES } from '../../../../shared/operations/registry.ts';
import type {
  ApprovalInput,
  AttemptInfo,
  OperationStatusRecord,
  RecordedError,
} from '../../../../shared/operations/status.ts';
import { OPERATION_RISKS } from '../../../../shared/operations/types.ts';
import { parsePolicy } from '../../../../shared/policy/policy.ts';
import type { ClaimResult, DeliveryKey, DeliveryStore } from '../../../../shared/webhooks/delivery-store.ts';
import {
  type IntakeLogger,
  WebhookIntake,
  type WebhookIntakeOptions,
} from '../../../../shared/webhooks/intake.ts';
import { DEFAULT_RULES } from '../../../../shared/webhooks/rules.ts';
import { signDelivery, VERIFIERS } from '../../../../shared/webhooks/schemes.ts';
import type { WebhookSecretSet } from '../../../../shared/webhooks/secrets.ts';
import { parseSenderPolicies } from '../../../../shared/webhooks/senders.ts';
import type { WebhookSource } from '../../../../shared/webhooks/sources.ts';
import { signedContentDigest } from '../../../../shared/webhooks/verifiers/verifier.ts';

export const SECRETS = {
  jira: 'jira-secret-for-the-unit-tests-only',
  github: 'github-secret-for-the-unit-tests-only',
  zendesk: 'zendesk-secret-for-the-unit-tests-only',
  servicenow: 'servicenow-token-for-the-unit-tests-only',
  standard: `whsec_${Buffer.from('standard-secret-for-unit-tests!!').toString('base64')}`,
} as const satisfies Record<WebhookSource, string>;

export const GROUP_ID = '5f1b2c3d4e5f6a7b8c9d0e1f';
export const OPERATION: ExampleOperation = {
  type: 'projectAccessList.add',
  params: { groupId: GROUP_ID, entries: [{ cidrBlock: '10.8.0.0/16', comment: 'VPN' }] },
};
export const NOW = new Date('2026-11-29T10:00:00Z');

/** Deliveries by id and by signed content, as the DynamoDB store keeps them (one map, two keys each). */
export class MemoryDeliveries implements DeliveryStore {
  readonly items = new Map<string, { operationId: string; state: 'PENDING' | 'ENQUEUED' }>();
  async claim(key: DeliveryKey, operationId: string): Promise<ClaimResult> {
    for (const name of keysOf(key)) {
      const existing = this.items.get(name);
      if (existing?.state === 'ENQUEUED') return { outcome: 'duplicate', operationId: existing.operationId };
      if (existing) return { outcome: 'in-progress', operationId: existing.operationId };
    }
    for (const name of keysOf(key)) this.items.set(name, { operationId, state: 'PENDING' });
    return { outcome: 'claimed' };
  }
  async confirm(key: DeliveryKey): Promise<void> {
    for (const name of keysOf(key)) {
      const item = this.items.get(name);
      if (item) item.state = 'ENQUEUED';
    }
  }
  async release(key: DeliveryKey): Promise<void> {
    for (const name of keysOf(key)) if (this.items.get(name)?.state === 'PENDING') this.items.delete(name);
  }
}
const keysOf = (key: DeliveryKey) => [
  `id#${key.source}#${key.deliveryId}`,
  `signed#${key.source}#${key.signedDigest}`,
];

/** The delivery key the intake claims for `delivery` (its id header and the digest of its signed content). */
export function deliveryKeyOf(delivery: ReturnType<typeof signedBytes>): DeliveryKey {
  const source = delivery.source as WebhookSource;
  const verifier = VERIFIERS[source];
  return {
    source,
    deliveryId: delivery.headers[verifier.deliveryIdHeader] ?? '',
    signedDigest: signedContentDigest(verifier, delivery),
  };
}

export class MemoryStatus {
  readonly records = new Map<string, OperationStatusRecord>();
  get = vi.fn(async (id: string) => this.records.get(id));
  recordPending = vi.fn(async (id: string, info: AttemptInfo) => {
    if (this.records.has(id)) return;
    this.records.set(id, this.#record(id, 'PENDING', info));
  });
  recordRefused = vi.fn(async (id: string, info: AttemptInfo, error: RecordedError) => {
    if (this.records.has(id)) return false;
    this.records.set(id, { ...this.#record(id, 'FAILED', info), error });
    return true;
  });
  recordApproval = vi.fn(async (id: string, info: AttemptInfo, approval: ApprovalInput) => {
    const existing = this.records.get(id);
    const identities = this.approvers.get(id) ?? [];
    const approvedBy = identities.map((person) => person[0] ?? '');
    if (existing && existing.status !== 'AWAITING_APPROVAL') {
      return { approvedBy, completed: false, added: false, status: existing.status };
    }
    if (identities.some((person) => person.some((identity) => approval.approver.includes(identity)))) {
      return { approvedBy, completed: false, added: false, status: 'AWAITING_APPROVAL' as const };
    }
    const next = [...identities, [...approval.approver]];
    this.approvers.set(id, next);
    const completed = next.length >= approval.needed;
    const status = completed ? ('PENDING' as const) : ('AWAITING_APPROVAL' as const);
    const shown = next.map((person) => person[0] ?? '');
    this.records.set(id, {
      ...this.#record(id, status, info),
      decision: { rule: approval.rule, approvedBy: shown },
      approvalsNeeded: approval.needed,
    });
    return { approvedBy: shown, completed, added: true, status };
  });
  readonly approvers = new Map<string, string[][]>();
  #record(id: string, status: OperationStatusRecord['status'], info: AttemptInfo): OperationStatusRecord {
    return {
      id,
      type: info.type,
      status,
      attempts: 0,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      expiresAt: 0,
      payloadHash: 'internal',
      ...(info.requestedBy ? { requestedBy: info.requestedBy } : {}),
      ...(info.approvedBy ? { approvedBy: info.approvedBy } : {}),
      ...(info.decision ? { decision: info.decision } : {}),
      ...(info.dryRun ? { dryRun: true } : {}),
    };
  }
}

/** The demo's sender policies (local/webhooks.ts): the example deliveries are in scope, approved by Sam Lead. */
export const DEMO_SENDERS = parseSenderPolicies(LOCAL_WEBHOOK_SENDERS);

/** The demo's operation policy (examples/policy.json). */
export const DEMO_POLICY = parsePolicy(demoPolicyText(), new Set(OPERATION_TYPES.keys()));

/** A policy that allows every type anywhere, with the default approvals (two for removals and org changes). */
export const ANYTHING_POLICY = parsePolicy(
  { rules: [{ name: 'anything', sources: '*', risks: [...OPERATION_RISKS], projects: '*', orgs: '*' }] },
  new Set(OPERATION_TYPES.keys()),
);

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
  const outcomes = { published: [] as OutcomeEvent[], publish: vi.fn() };
  outcomes.publish.mockImplementation(async (event: OutcomeEvent) => {
    outcomes.published.push(event);
  });
  const secrets = { get: vi.fn(async () => set), refresh: vi.fn(async () => set) };
  const logger = capturingLogger();
  const intake = new WebhookIntake({
    secrets,
    rules: DEFAULT_RULES,
    senders: DEMO_SENDERS,
    policy: ANYTHING_POLICY,
    deliveries,
    queue,
    status,
    outcomes,
    logger,
    now: () => NOW,
    ...overrides,
  });
  return { intake, deliveries, status, queue, outcomes, secrets, logger };
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
        exampleDelivery(source, OPERATION, {
          approved: options.approved ?? true,
          now: options.now ?? NOW,
          ...(options.ref === undefined ? {} : { ref: options.ref }),
        }),
    ),
  );
  return signedBytes(source, body, options);
}

/** A composed body (ServiceNow, Standard Webhooks) approving `operation` for ticket `ref`, as the examples do. */
export function composed(operation: object, ref = 'REQ-1', approvedBy = 'sam.lead@example.com') {
  return {
    approval: 'approved',
    approvedBy,
    operation: { ...operation, requestedBy: { ref, actor: 'jane@example.com' } },
  };
}

/** `body`, exactly these bytes, signed as `source` signs. */
export function signedBytes(source: WebhookSource, body: Buffer, options: SignedOptions = {}) {
  const headers = signDelivery(source, body, options.secret ?? SECRETS[source], {
    deliveryId: options.deliveryId ?? `delivery-${source}-1`,
    now: options.now ?? NOW,
  });
  return { source: source as string, method: 'POST', headers, body, baseUrl: 'https://api.example.com' };
}
