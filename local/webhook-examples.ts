/**
 * Example deliveries of each webhook source, shaped as the real senders shape them (reference/webhooks.md),
 * carrying one operation the way each source's default rule reads it (shared/webhooks/rules.ts). The README's
 * examples, the integration tests and the benchmark use them.
 */
import type { WebhookSource } from '../shared/webhooks/sources.ts';

/** An operation message as a ticket writes it: no id (it is derived), `requestedBy` set by the intake. */
export interface ExampleOperation {
  type: string;
  params: Record<string, unknown>;
  dryRun?: boolean;
}

export interface ExampleOptions {
  /** The ticket's reference: the Jira key, the GitHub issue number, the Zendesk ticket id, … */
  ref?: string | number;
  /** False: a delivery its source's rule does not take as a request (not approved, not labeled). */
  approved?: boolean;
}

/** The fenced block a ticket's text carries, in Markdown. */
export function markdownBlock(operation: ExampleOperation): string {
  return `\`\`\`atlas-ops\n${JSON.stringify(operation, null, 2)}\n\`\`\``;
}

/** The same block in Jira wiki markup. */
export function jiraBlock(operation: ExampleOperation): string {
  return `{code:atlas-ops}\n${JSON.stringify(operation, null, 2)}\n{code}`;
}

/** A Jira Cloud admin webhook's `jira:issue_updated` delivery (REST v2 issue shape). */
export function jiraIssueUpdated(operation: ExampleOperation, options: ExampleOptions = {}) {
  const key = String(options.ref ?? 'OPS-123');
  return {
    timestamp: 1_764_400_000_000,
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: {
      accountId: '5b10a2844c20165700ede21g',
      displayName: 'Jane Doe',
      emailAddress: 'jane@example.com',
    },
    issue: {
      id: '10042',
      key,
      fields: {
        summary: 'Allow the VPN range on payments-prod',
        description: `Please allow our VPN range.\n\n${jiraBlock(operation)}\n`,
        status: { name: options.approved === false ? 'Waiting for approval' : 'Approved', id: '10003' },
        project: { id: '10000', key: key.split('-')[0] ?? 'OPS', name: 'Operations' },
        labels: ['atlas'],
      },
    },
    changelog: {
      id: '10101',
      items: [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          fromString: 'In review',
          toString: 'Approved',
        },
      ],
    },
  };
}

/** A GitHub `issues` delivery (`X-GitHub-Event: issues`) for a label added to an issue. */
export function githubIssueLabeled(operation: ExampleOperation, options: ExampleOptions = {}) {
  const number = Number(options.ref ?? 42);
  return {
    action: 'labeled',
    label: { name: options.approved === false ? 'needs-triage' : 'atlas-ops:approved', color: '0e8a16' },
    issue: {
      number,
      title: 'Allow the VPN range on payments-prod',
      body: `Please allow our VPN range.\r\n\r\n${markdownBlock(operation).replaceAll('\n', '\r\n')}\r\n`,
      state: 'open',
      user: { login: 'octo-requester' },
    },
    repository: { full_name: 'acme/platform-requests', private: true },
    sender: { login: 'octo-approver' },
  };
}

/** A Zendesk trigger webhook's body, composed in the trigger with placeholders (`{{ticket.id}}`, …). */
export function zendeskTrigger(operation: ExampleOperation, options: ExampleOptions = {}) {
  return {
    ticket: {
      id: Number(options.ref ?? 35436),
      title: 'Allow the VPN range on payments-prod',
      description: `Please allow our VPN range.\n\n${markdownBlock(operation)}\n`,
      requester: { email: 'jane@example.com' },
    },
    // A custom field placeholder in the trigger's body, e.g. {{ticket.ticket_field_360001234}}.
    approval: options.approved === false ? 'requested' : 'approved',
  };
}

/**
 * A ServiceNow business rule's (or Flow REST step's) body: the operation message with the requested item's
 * approval state (`current.approval`) passed along.
 */
export function serviceNowRequest(operation: ExampleOperation, options: ExampleOptions = {}) {
  return {
    approval: options.approved === false ? 'requested' : 'approved',
    operation: {
      ...operation,
      requestedBy: { source: 'servicenow', ref: String(options.ref ?? 'RITM0010001'), actor: 'jane.doe' },
    },
  };
}

/**
 * A Standard Webhooks sender's body (an internal portal, Backstage, a Svix-based tool): the operation message
 * itself; wrapped as `{"approval", "operation"}` when it says the request is not approved yet.
 */
export function standardRequest(operation: ExampleOperation, options: ExampleOptions = {}) {
  const message = {
    ...operation,
    requestedBy: { source: 'portal', ref: String(options.ref ?? 'REQ-2026-0042'), actor: 'jane@example.com' },
  };
  return options.approved === false ? { approval: 'pending', operation: message } : message;
}

/** The example delivery of `source` carrying `operation`; `approved: false` gives one its rule ignores. */
export function exampleDelivery(
  source: WebhookSource,
  operation: ExampleOperation,
  options: ExampleOptions = {},
) {
  switch (source) {
    case 'jira':
      return jiraIssueUpdated(operation, options);
    case 'github':
      return githubIssueLabeled(operation, options);
    case 'zendesk':
      return zendeskTrigger(operation, options);
    case 'servicenow':
      return serviceNowRequest(operation, options);
    case 'standard':
      return standardRequest(operation, options);
  }
}
