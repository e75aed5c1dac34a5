/**
 * The webhook intake on this machine: its handler wired to the local queue, table and Secrets Manager
 * stand-in as Lambda wires it to the real ones, behind the local HTTP API front (./http-api.ts). The secrets
 * are fixed, local-only values (docs/webhooks.md), so scripts and `atlas-ops webhook sign` can sign
 * requests without asking anyone; the sender scope and approvers are the demo's (`LOCAL_WEBHOOK_SENDERS`),
 * the people of ./webhook-examples.ts.
 */
import { createWebhookIntakeHandler } from '../functions/webhook-intake/create-handler.ts';
import type { webhookIntakeEnvSchema } from '../functions/webhook-intake/env.ts';
import { webhookIntakeWorker } from '../functions/webhook-intake/worker.ts';
import type { AwsSdkEnvironment, EnvironmentOf } from '../shared/config/env.ts';
import { STATUS_ROUTE_PATH, WEBHOOK_ROUTE_PATH } from '../shared/webhooks/http-api.ts';
import { parseWebhookSecrets } from '../shared/webhooks/secrets.ts';
import type { WebhookSource } from '../shared/webhooks/sources.ts';
import type { SecretsManagerStandIn } from './aws/secrets-manager.ts';
import { type HttpApiHandler, startLocalHttpApi } from './http-api.ts';
import { demoPolicyText } from './policy-demo.ts';
import { DEMO_PEOPLE } from './webhook-examples.ts';

export const LOCAL_WEBHOOK_SECRET_ID = 'atlas-ops/webhook-secrets';

/** The local stack's webhook secrets: fixed and public, never to be used anywhere else. */
export const LOCAL_WEBHOOK_SECRETS: Readonly<Record<WebhookSource, string>> = {
  jira: 'atlas-ops-local-jira-secret-for-this-machine-only',
  github: 'atlas-ops-local-github-secret-for-this-machine-only',
  zendesk: 'atlas-ops-local-zendesk-secret-for-this-machine-only',
  servicenow: 'atlas-ops-local-servicenow-token-for-this-machine-only',
  // base64 of the 32 bytes "atlas-ops-local-standard-secret!"
  standard: 'whsec_YXRsYXMtb3BzLWxvY2FsLXN0YW5kYXJkLXNlY3JldCE=',
};

/**
 * The demo's sender scope and approvers (docs/webhooks.md): Jira project OPS, approved by Sam Lead or Alex
 * Second (by account id or email); GitHub repository acme/platform-requests, approved by octo-approver or
 * octo-second; the composed senders approved by either as each names them (a removal, which the demo policy
 * gives to two approvers, needs both). Requests come from Jane Doe (./webhook-examples.ts).
 */
export const LOCAL_WEBHOOK_SENDERS = {
  jira: {
    scope: ['OPS'],
    approvers: [
      DEMO_PEOPLE.approver.accountId,
      DEMO_PEOPLE.approver.email,
      DEMO_PEOPLE.secondApprover.accountId,
      DEMO_PEOPLE.secondApprover.email,
    ],
  },
  github: {
    scope: ['acme/platform-requests'],
    approvers: [DEMO_PEOPLE.approver.login, DEMO_PEOPLE.secondApprover.login],
  },
  zendesk: { scope: '*', approvers: [DEMO_PEOPLE.approver.email, DEMO_PEOPLE.secondApprover.email] },
  servicenow: { scope: '*', approvers: [DEMO_PEOPLE.approver.userName, DEMO_PEOPLE.secondApprover.userName] },
  standard: { scope: '*', approvers: [DEMO_PEOPLE.approver.email, DEMO_PEOPLE.secondApprover.email] },
} as const;

/** As deployed (infra/constructs/webhook-intake.ts). */
const TIMEOUT_MS = 10_000;
/** Handler durations kept for benchmarks: the most recent ones. */
const KEPT_DURATIONS = 10_000;

export interface LocalWebhooks {
  /** `http://127.0.0.1:PORT`: `POST {url}/webhooks/{source}`, `GET {url}/operations/{id}`. */
  url: string;
  /** The secret each source signs with. */
  secrets: Readonly<Record<WebhookSource, string>>;
  secretId: string;
  /** Each source's sender policy as configured (`WEBHOOK_SENDERS`): its scope and approvers. */
  senders: Readonly<
    Record<string, { scope: string | readonly string[]; approvers: string | readonly string[] }>
  >;
  /** The environment the intake runs with (stand-in endpoints, queue, table, secret id). */
  env: Record<string, string>;
  /** How long the handler took for the most recent requests, in milliseconds, oldest first. */
  handlerDurations(): readonly number[];
  close(): Promise<void>;
}

export interface LocalWebhookOptions {
  /** The Secrets Manager stand-in the webhook secret goes into. */
  secrets: SecretsManagerStandIn;
  region: string;
  sqsEndpoint: string;
  dynamoEndpoint: string;
  queueUrl: string;
  table: string;
  /** The notifier's outcomes queue, where refusals are told to their tickets (absent: not told). */
  outcomesQueueUrl?: string | undefined;
  /** The operation policy's JSON. Default the demo's (examples/policy.json). */
  policyText?: string | undefined;
  /** Extra environment for the intake (rule overrides, `WEBHOOK_SENDERS`, tolerance, …). */
  env?: Record<string, string>;
}

/** Puts the local webhook secret in the stand-in and serves the intake on 127.0.0.1 (a free port). */
export async function startLocalWebhooks(options: LocalWebhookOptions): Promise<LocalWebhooks> {
  const secretText = JSON.stringify(LOCAL_WEBHOOK_SECRETS);
  // The intake's own check, so a local secret it would refuse stops the start instead.
  parseWebhookSecrets(secretText, 'local webhook secret');
  options.secrets.putSecret(LOCAL_WEBHOOK_SECRET_ID, secretText);
  const intakeEnv = {
    AWS_REGION: options.region,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: options.secrets.endpoint,
    AWS_ENDPOINT_URL_SQS: options.sqsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint,
    WEBHOOK_SECRET_ID: LOCAL_WEBHOOK_SECRET_ID,
    QUEUE_URL: options.queueUrl,
    OPERATIONS_TABLE: options.table,
    WEBHOOK_SENDERS: JSON.stringify(LOCAL_WEBHOOK_SENDERS),
    // Minified, as the stack passes it: the environment's 4 KB budget is shared.
    OPERATION_POLICY: JSON.stringify(JSON.parse(options.policyText ?? demoPolicyText())),
    ...(options.outcomesQueueUrl ? { OUTCOMES_QUEUE_URL: options.outcomesQueueUrl } : {}),
  } satisfies AwsSdkEnvironment & EnvironmentOf<typeof webhookIntakeEnvSchema>;
  const env: Record<string, string> = {
    ...intakeEnv,
    POWERTOOLS_SERVICE_NAME: webhookIntakeWorker.serviceName,
    ...options.env,
  };
  const handler = createWebhookIntakeHandler(env);
  const durations: number[] = [];
  const api = await startLocalHttpApi({
    routes: [`ANY ${WEBHOOK_ROUTE_PATH}`, `GET ${STATUS_ROUTE_PATH}`],
    handler: handler as HttpApiHandler,
    functionName: 'atlas-ops-webhook-intake',
    timeoutMs: TIMEOUT_MS,
    onInvoke: (ms) => {
      durations.push(ms);
      if (durations.length > KEPT_DURATIONS) durations.shift();
    },
  });
  return {
    url: api.url,
    secrets: LOCAL_WEBHOOK_SECRETS,
    secretId: LOCAL_WEBHOOK_SECRET_ID,
    senders: JSON.parse(env.WEBHOOK_SENDERS ?? '{}') as LocalWebhooks['senders'],
    env,
    handlerDurations: () => [...durations],
    close: () => api.close(),
  };
}
