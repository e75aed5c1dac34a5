/**
 * Example deliveries of each webhook source, shaped as the real senders shape them (reference/webhooks.md),
 * each the approval of one request: Jane Doe asks, Sam Lead approves (the demo's approvers,
 * local/webhooks.ts `LOCAL_WEBHOOK_SENDERS`). They carry one operation the way each source's default rule
 * reads it (shared/webhooks/rules.ts). The integration tests and the benchmark use them; examples/webhooks/ holds
 * them as files.
 */
import type { WebhookSource } from '../shared/webhooks/sources.ts';

/** The demo's people, as each ticketing system names them. */
export const DEMO_PEOPLE = {
  requester: {
    accountId: '5b10a2844c20165700ede21g',
    displayName: 'Jane Doe',
    email: 'jane@example.com',
    login: 'octo-requester',
    userName: 'jane.doe',
  },
  approver: {
    accountId: '5b10a2844c20165700ede31a',
    displayName: 'Sam Lead',
    email: 'sam.lead@example.com',
    login: 'octo-approver',
    userName: 'sam.lead',
  },
  /** The second approver a removal needs under the demo policy (examples/policy.json). */
  secondApprover: {
    accountId: '5b10a2844c20165700ede41b',
    displayName: 'Alex Second',
    email: 'alex.second@example.com',
    login: 'octo-second',
    userName: 'alex.second',
  },
} as const;

/** An operation message as a ticket writes it: no id (it is derived), `requestedBy` set by the intake. */
export interface ExampleOperation {
  type: string;
  params: Record<string, unknown>;
  dryRun?: boolean;
}

export interface ExampleOptions {
  /** The ticket's reference: the Jira key, the GitHub issue number, the Zendesk ticket id, … */
  ref?: string | number;
  /** False: a delivery its source does not take as an approval (moved elsewhere, another label, pending). */
  approved?: boolean;
  /** When the sender raised the event (Jira's `timestamp`, GitHub's `issue.updated_at`). Default now. */
  now?: Date;
  /**
   * Who approves: a Jira transition or a GitHub label is one person's (the first); a composed body lists
   * each (a removal under the demo policy takes two). Default Sam Lead.
   */
  by?: readonly DemoApprover[];
}

/** The demo's approvers, by their part in DEMO_PEOPLE. */
export type DemoApprover = 'approver' | 'secondApprover';

const { requester } = DEMO_PEOPLE;

/** The person who approves a Jira or GitHub delivery. */
function approverOf(options: ExampleOptions) {
  return DEMO_PEOPLE[options.by?.[0] ?? 'approver'];
}

/** A composed body's `approvedBy`: one identity, or the list of them when more than one approves. */
function approvedByOf(options: ExampleOptions, identity: 'email' | 'userName'): string | string[] {
  const people = (options.by ?? ['approver']).map((who) => DEMO_PEOPLE[who][identity]);
  return people.length === 1 ? (people[0] ?? '') : people;
}

/** The reference of demo ticket `n` of each source, as a test or benchmark passes it (`OPS-n`, `n`, …). */
export function exampleRef(source: WebhookSource, n: number): string | number {
  switch (source) {
    case 'jira':
      return `OPS-${n}`;
    case 'servicenow':
      return `RITM${n}`;
    case 'standard':
      return `REQ-${n}`;
    default:
      return n;
  }
}

/** The `requestedBy.ref` the intake reads from the delivery of demo ticket `n`. */
export function exampleRequestRef(source: WebhookSource, n: number): string {
  return source === 'github' ? `acme/platform-requests#${n}` : String(exampleRef(source, n));
}

/** The fenced block a ticket's text carries, in Markdown. */
export function markdownBlock(operation: ExampleOperation): string {
  return `\`\`\`atlas-ops\n${JSON.stringify(operation, null, 2)}\n\`\`\``;
}

/** The same block in Jira wiki markup. */
export function jiraBlock(operation: ExampleOperation): string {
  return `{code:atlas-ops}\n${JSON.stringify(operation, null, 2)}\n{code}`;
}

/**
 * A Jira Cloud admin webhook's `jira:issue_updated` delivery (REST v2 issue shape) for the transition of the
 * issue to Approved by Sam Lead; `approved: false` moves it to "Waiting for approval" instead.
 */
export function jiraIssueApproved(operation: ExampleOperation, options: ExampleOptions = {}) {
  const key = String(options.ref ?? 'OPS-123');
  const status = options.approved === false ? 'Waiting for approval' : 'Approved';
  return {
    timestamp: (options.now ?? new Date()).getTime(),
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: {
      accountId: approverOf(options).accountId,
      displayName: approverOf(options).displayName,
      emailAddress: approverOf(options).email,
    },
    issue: {
      id: '10042',
      key,
      fields: {
        summary: 'Allow the VPN range on payments-prod',
        description: `Please allow our VPN range.\n\n${jiraBlock(operation)}\n`,
        status: { name: status, id: '10003' },
        project: { id: '10000', key: key.split('-')[0] ?? 'OPS', name: 'Operations' },
        reporter: {
          accountId: requester.accountId,
          displayName: requester.displayName,
          emailAddress: requester.email,
        },
        labels: ['atlas'],
      },
    },
    changelog: {
      id: '10101',
      items: [
        { field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: 'In review', toString: status },
      ],
    },
  };
}

/**
 * A GitHub `issues` delivery (`X-GitHub-Event: issues`) for the label `atlas-ops:approved` added by
 * octo-approver to octo-requester's issue; `approved: false` adds another label.
 */
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
      user: { login: requester.login },
      updated_at: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    repository: { full_name: 'acme/platform-requests', private: true },
    sender: { login: approverOf(options).login },
  };
}

/**
 * A Zendesk trigger webhook's body, composed in the trigger with placeholders (`{{ticket.id}}`,
 * `{{current_user.email}}` for who set the approval field, …).
 */
export function zendeskTrigger(operation: ExampleOperation, options: ExampleOptions = {}) {
  return {
    ticket: {
      id: Number(options.ref ?? 35436),
      title: 'Allow the VPN range on payments-prod',
      description: `Please allow our VPN range.\n\n${markdownBlock(operation)}\n`,
      requester: { email: requester.email },
    },
    // A custom field placeholder in the trigger's body, e.g. {{ticket.ticket_field_360001234}}.
    approval: options.approved === false ? 'requested' : 'approved',
    approvedBy: approvedByOf(options, 'email'),
  };
}

/**
 * A ServiceNow business rule's (or Flow REST step's) body: the operation message with the requested item's
 * approval state (`current.approval`) and its approver passed along.
 */
export function serviceNowRequest(operation: ExampleOperation, options: ExampleOptions = {}) {
  return {
    approval: options.approved === false ? 'requested' : 'approved',
    approvedBy: approvedByOf(options, 'userName'),
    operation: {
      ...operation,
      requestedBy: { ref: String(options.ref ?? 'RITM0010001'), actor: requester.userName },
    },
  };
}

/**
 * A Standard Webhooks sender's body (an internal portal, Backstage, a Svix-based tool): the operation message,
 * with the approval and its approver beside it.
 */
export function standardRequest(operation: ExampleOperation, options: ExampleOptions = {}) {
  return {
    approval: options.approved === false ? 'pending' : 'approved',
    approvedBy: approvedByOf(options, 'email'),
    operation: {
      ...operation,
      requestedBy: { ref: String(options.ref ?? 'REQ-2026-0042'), actor: requester.email },
    },
  };
}

/** The example delivery of `source` carrying `operation`; `approved: false` gives one that is not an approval. */
export function exampleDelivery(
  source: WebhookSource,
  operation: ExampleOperation,
  options: ExampleOptions = {},
) {
  switch (source) {
    case 'jira':
      return jiraIssueApproved(operation, options);
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

/** Who each source's example names as the requester and the approver (as the intake records them). */
export function examplePeople(source: WebhookSource): { requester: string; approver: string } {
  const { approver } = DEMO_PEOPLE;
  switch (source) {
    case 'github':
      return { requester: requester.login, approver: approver.login };
    case 'servicenow':
      return { requester: requester.userName, approver: approver.userName };
    default:
      return { requester: requester.email, approver: approver.email };
  }
}
