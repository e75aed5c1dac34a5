/**
 * What runs is what someone entitled approved, once: the intake tried as an attacker would, end to end on the
 * local stack — each delivery signed as its vendor signs it, posted to the real intake, and judged by what
 * reached the Atlas simulator. The bodies are written out here as the vendors shape them (not taken from
 * local/webhook-examples.ts, only its people), so each case says exactly what the attacker sent.
 *
 * The demo's sender scope and approvers (local/webhooks.ts): Jira project OPS, approver Sam Lead; GitHub
 * repository acme/platform-requests, approver octo-approver; Zendesk, ServiceNow and Standard Webhooks from
 * any holder of their secret, approved by sam.lead (@example.com).
 */
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/stack.ts';
import type { ReceivedRequest } from '../../../local/tickets.ts';
import { DEMO_PEOPLE } from '../../../local/webhook-examples.ts';
import type { LocalWebhooks } from '../../../local/webhooks.ts';
import { signDelivery } from '../../../shared/webhooks/schemes.ts';
import type { WebhookSource } from '../../../shared/webhooks/sources.ts';
import { eventually } from '../../support/provisioning.ts';
import { requestLog } from '../../support/simulator.ts';
import { type Answer, get, post, useWebhookStack } from '../../support/webhooks.ts';

const started = useWebhookStack({ notifierEnv: { RETRY_BASE_MS: '5', POWERTOOLS_LOG_LEVEL: 'ERROR' } });
let stack: LocalStack;
let webhooks: LocalWebhooks;
let groupId: string;

beforeAll(() => {
  ({ stack, webhooks } = started());
  groupId = stack.simulator.state.projects[0]?.id ?? '';
});

/** The demo's people (local/webhook-examples.ts), as Jira names them. */
const asJiraUser = (person: (typeof DEMO_PEOPLE)['requester' | 'approver']) => ({
  accountId: person.accountId,
  displayName: person.displayName,
  emailAddress: person.email,
});
const JANE = asJiraUser(DEMO_PEOPLE.requester);
const SAM = asJiraUser(DEMO_PEOPLE.approver);

/** An access-list entry per case, so no case sees another's. */
const cidr = (n: number) => `10.231.${n}.0/24`;
const addEntry = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'projectAccessList.add',
  params: { groupId, entries: [{ cidrBlock: cidr(n), comment: 'from a ticket' }] },
  ...extra,
});
const jiraBlock = (operation: object) => `{code:atlas-ops}\n${JSON.stringify(operation)}\n{code}`;
const markdownBlock = (operation: object) => `\`\`\`atlas-ops\n${JSON.stringify(operation)}\n\`\`\``;

/** A Jira Cloud admin webhook delivery about issue `key` (REST v2 shape, reference/webhooks.md §1.4). */
function jiraEvent(options: {
  key: string;
  operation: object;
  event?: 'jira:issue_created' | 'jira:issue_updated';
  status?: string;
  changelog?: { field: string; fieldId: string; fromString: string | null; toString: string | null }[];
  user?: typeof JANE;
  timestamp?: number;
}) {
  return {
    timestamp: options.timestamp ?? Date.now(),
    webhookEvent: options.event ?? 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: options.user ?? SAM,
    issue: {
      id: '10042',
      key: options.key,
      fields: {
        summary: 'Allow the VPN range',
        description: `Please allow our VPN range.\n\n${jiraBlock(options.operation)}\n`,
        status: { name: options.status ?? 'Approved', id: '10003' },
        project: { id: '10000', key: options.key.split('-')[0], name: 'Operations' },
        reporter: JANE,
      },
    },
    ...(options.changelog ? { changelog: { id: '10101', items: options.changelog } } : {}),
  };
}

const TO_APPROVED = [{ field: 'status', fieldId: 'status', fromString: 'In review', toString: 'Approved' }];

/** A GitHub `issues` delivery: a label added to issue `number` (reference/webhooks.md §5). */
function githubLabeled(options: {
  number: number;
  body: string;
  repository?: string;
  author?: string;
  labeler?: string;
  label?: string;
  updatedAt?: string;
}) {
  return {
    action: 'labeled',
    label: { name: options.label ?? 'atlas-ops:approved' },
    issue: {
      number: options.number,
      title: 'Allow the VPN range',
      body: options.body,
      user: { login: options.author ?? DEMO_PEOPLE.requester.login },
      updated_at: options.updatedAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    repository: { full_name: options.repository ?? 'acme/platform-requests' },
    sender: { login: options.labeler ?? DEMO_PEOPLE.approver.login },
  };
}

interface Sent {
  source: WebhookSource;
  body: Buffer;
  headers: Record<string, string>;
}

/** `body` signed with the local secret of `source`, as its sender signs. */
function signed(source: WebhookSource, body: unknown, deliveryId?: string): Sent {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const headers = signDelivery(source, bytes, webhooks.secrets[source], deliveryId ? { deliveryId } : {});
  return { source, body: bytes, headers };
}

/** The same bytes and signature under a fresh delivery id (the id header is not signed by these senders). */
function resentUnderFreshId(delivery: Sent, header: string): Sent {
  return { ...delivery, headers: { ...delivery.headers, [header]: crypto.randomUUID() } };
}

/**
 * Whether the simulator's project access list holds any of `blocks` (what a run of the case would have
 * added), once the provisioning queue is drained.
 */
async function reachedAtlas(...blocks: string[]): Promise<boolean> {
  await stack.provisioning?.idle();
  return stack.simulator.state.projectAccessList.some((entry) => blocks.includes(entry.cidrBlock ?? ''));
}

/** The access-list POSTs the simulator has answered so far (the cases run one after another). */
async function accessListPosts(): Promise<number> {
  const log = await requestLog(stack.simulator);
  return log.filter(
    (entry) => entry.method === 'POST' && entry.path === `/api/atlas/v2/groups/${groupId}/accessList`,
  ).length;
}

async function succeeded(answer: Answer): Promise<Answer> {
  expect(answer.status).toBe(202);
  return eventually(
    () => get(String(answer.body.statusUrl)),
    (status) => status.body.status === 'SUCCEEDED' || status.body.status === 'FAILED',
  );
}

async function ticketRequests(): Promise<ReceivedRequest[]> {
  const response = await fetch(`${stack.notifications?.tickets.url}/__received`);
  return (await response.json()) as ReceivedRequest[];
}

/** Simulates every record of an operation having expired: its status record and its idempotency record. */
async function expireOperationRecords(operationId: string): Promise<void> {
  const provisioning = stack.provisioning;
  if (!provisioning) return;
  const { Items = [] } = await provisioning.document.send(new ScanCommand({ TableName: provisioning.table }));
  for (const item of Items) {
    const id = String(item.id);
    // Powertools' idempotency records are keyed `<function>#<hash>`; the intake's own (webhook-…) stay.
    if (
      id === operationId ||
      (!id.startsWith('webhook-') && id.includes('#') && !id.startsWith('notified#'))
    ) {
      await provisioning.document.send(new DeleteCommand({ TableName: provisioning.table, Key: { id } }));
    }
  }
}

describe('Jira: only the change of status to Approved is an approval', () => {
  it('an edit of an issue already in Approved (a new block) runs nothing', async () => {
    // Prepare: OPS-3001 approved by Sam and run; then Jane edits the description, the issue stays Approved.
    const approved = signed(
      'jira',
      jiraEvent({ key: 'OPS-3001', operation: addEntry(1), changelog: TO_APPROVED }),
    );
    await succeeded(await post(webhooks, approved));
    const edit = jiraEvent({
      key: 'OPS-3001',
      operation: addEntry(2),
      user: JANE,
      changelog: [{ field: 'description', fieldId: 'description', fromString: '…', toString: '…' }],
    });

    // Act
    const answer = await post(webhooks, signed('jira', edit));

    // Assess
    expect(answer.status).toBe(200);
    expect(String(answer.body.ignored)).toMatch(/already in .?Approved.? is not an approval/);
    expect(await reachedAtlas(cidr(2))).toBe(false);
  });

  it('an issue created in Approved runs nothing', async () => {
    // Act
    const answer = await post(
      webhooks,
      signed('jira', jiraEvent({ key: 'OPS-3002', operation: addEntry(3), event: 'jira:issue_created' })),
    );

    // Assess
    expect(answer.status).toBe(200);
    expect(String(answer.body.ignored)).toMatch(/created/);
    expect(await reachedAtlas(cidr(3))).toBe(false);
  });
});

describe('GitHub: the block that runs is the block a reader sees', () => {
  it('a visible tilde block and a hidden backtick block in an HTML comment: 400, nothing runs', async () => {
    // Prepare
    const body =
      `Please allow our VPN range.\r\n\r\n~~~atlas-ops\r\n${JSON.stringify(addEntry(4))}\r\n~~~\r\n` +
      `<!--\r\n${markdownBlock(addEntry(5))}\r\n-->\r\n`;

    // Act
    const answer = await post(webhooks, signed('github', githubLabeled({ number: 3004, body })));

    // Assess
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/hidden|HTML comment/);
    expect(await reachedAtlas(cidr(4), cidr(5))).toBe(false);
  });

  it('a block inside <details>: 400, nothing runs', async () => {
    // Prepare
    const body = `Looks harmless.\n\n<details>\n\n${markdownBlock(addEntry(6))}\n\n</details>\n`;

    // Act
    const answer = await post(webhooks, signed('github', githubLabeled({ number: 3005, body })));

    // Assess
    expect(answer.status).toBe(400);
    expect(await reachedAtlas(cidr(6))).toBe(false);
  });
});

describe('who may send and who may approve', () => {
  it('a GitHub label added by the issue’s own author (an approver) is refused, and the ticket is told why', async () => {
    // Prepare
    const body = markdownBlock(addEntry(7));
    const delivery = githubLabeled({ number: 3007, body, author: 'octo-approver', labeler: 'octo-approver' });

    // Act
    const answer = await post(webhooks, signed('github', delivery));
    const told = await eventually(ticketRequests, (all) =>
      all.some((r) => r.kind === 'github' && r.ref === 'acme/platform-requests#3007'),
    );

    // Assess
    expect(answer.status).toBe(200);
    expect(String(answer.body.refused)).toMatch(/approv/);
    expect(await reachedAtlas(cidr(7))).toBe(false);
    const comment = told.find((r) => r.ref === 'acme/platform-requests#3007');
    expect((comment?.body as { body?: string } | undefined)?.body).toMatch(/refused[\s\S]*octo-approver/);
  });

  it('a GitHub label added by someone who is not an approver is refused', async () => {
    // Act
    const answer = await post(
      webhooks,
      signed('github', githubLabeled({ number: 3008, body: markdownBlock(addEntry(8)), labeler: 'mallory' })),
    );

    // Assess
    expect(answer.status).toBe(200);
    expect(String(answer.body.refused)).toMatch(/mallory/);
    expect(await reachedAtlas(cidr(8))).toBe(false);
  });

  it('a Jira project and a GitHub repository outside the scope are ignored', async () => {
    // Act
    const jira = await post(
      webhooks,
      signed('jira', jiraEvent({ key: 'FIN-3009', operation: addEntry(9), changelog: TO_APPROVED })),
    );
    const github = await post(
      webhooks,
      signed(
        'github',
        githubLabeled({ number: 3010, body: markdownBlock(addEntry(10)), repository: 'acme/anything-else' }),
      ),
    );

    // Assess
    expect([jira.status, github.status]).toEqual([200, 200]);
    expect(String(jira.body.ignored)).toMatch(/FIN.*scope|scope.*FIN/);
    expect(String(github.body.ignored)).toMatch(/acme\/anything-else/);
    expect(await reachedAtlas(cidr(9), cidr(10))).toBe(false);
  });

  it.each([
    [
      'zendesk',
      {
        ticket: {
          id: 3011,
          description: markdownBlock(addEntry(11)),
          requester: { email: 'jane@example.com' },
        },
      },
      11,
    ],
    [
      'servicenow',
      { operation: { ...addEntry(12), requestedBy: { ref: 'RITM3012', actor: 'jane.doe' } } },
      12,
    ],
    [
      'standard',
      { operation: { ...addEntry(13), requestedBy: { ref: 'REQ-3013', actor: 'jane@example.com' } } },
      13,
    ],
    ['standard', { ...addEntry(14), requestedBy: { ref: 'REQ-3014', actor: 'jane@example.com' } }, 14],
  ] as const)('a %s body with no approval is ignored', async (source, body, n) => {
    // Act
    const answer = await post(webhooks, signed(source, body));

    // Assess
    expect(answer.status).toBe(200);
    expect(String(answer.body.ignored)).toMatch(/approval/);
    expect(await reachedAtlas(cidr(n))).toBe(false);
  });
});

describe('a delivery runs once, ever', () => {
  it.each([
    [
      'jira',
      'x-atlassian-webhook-identifier',
      () => jiraEvent({ key: 'OPS-3015', operation: addEntry(15), changelog: TO_APPROVED }),
    ],
    ['github', 'x-github-delivery', () => githubLabeled({ number: 3016, body: markdownBlock(addEntry(16)) })],
  ] as const)(
    'a captured %s delivery re-sent under a fresh delivery id, also once its records are gone, runs nothing again',
    async (source, idHeader, body) => {
      // Prepare
      const captured = signed(source, body());
      const postsBefore = await accessListPosts();
      const done = await succeeded(await post(webhooks, captured));
      const postsAfterFirstRun = await accessListPosts();

      // Act
      const replay = await post(webhooks, resentUnderFreshId(captured, idHeader));
      await expireOperationRecords(String(done.body.id));
      const lateReplay = await post(webhooks, resentUnderFreshId(captured, idHeader));
      await stack.provisioning?.idle();

      // Assess
      expect(done.body.status).toBe('SUCCEEDED');
      expect(postsAfterFirstRun - postsBefore).toBe(1);
      expect([replay.status, replay.body.duplicate]).toEqual([200, true]);
      expect([lateReplay.status, lateReplay.body.duplicate]).toEqual([200, true]);
      expect(await accessListPosts()).toBe(postsAfterFirstRun);
    },
  );

  it('a Jira delivery signed longer ago than the records are kept is refused', async () => {
    // Prepare: a genuine delivery captured 40 days ago (the records are kept 30).
    const old = jiraEvent({
      key: 'OPS-3017',
      operation: addEntry(17),
      changelog: TO_APPROVED,
      timestamp: Date.now() - 40 * 86_400_000,
    });

    // Act
    const answer = await post(webhooks, signed('jira', old));

    // Assess
    expect(answer.status).toBe(401);
    expect(await reachedAtlas(cidr(17))).toBe(false);
  });
});

describe('ids are ours', () => {
  it('a block carrying its own id is refused, naming the field; the other ticket’s operation is untouched', async () => {
    // Prepare: another team's request, then a ticket naming its id.
    const theirs = signed(
      'github',
      githubLabeled({ number: 3018, body: markdownBlock(addEntry(18)), author: 'octo-requester' }),
    );
    const accepted = await post(webhooks, theirs);
    const squat = githubLabeled({
      number: 3019,
      body: markdownBlock(addEntry(19, { id: String(accepted.body.operationId) })),
    });

    // Act
    const answer = await post(webhooks, signed('github', squat));

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: 'INVALID_OPERATION',
      problems: [expect.objectContaining({ field: 'id' })],
    });
    expect(await reachedAtlas(cidr(19))).toBe(false);
    expect((await succeeded(accepted)).body).toMatchObject({
      status: 'SUCCEEDED',
      requestedBy: { ref: 'acme/platform-requests#3018' },
    });
  });
});

describe('bounded input', () => {
  it('JSON nested 10,000 deep is a 400 naming the limit, never a 5xx', async () => {
    // Prepare
    const nested = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const deep = Buffer.from(`[${'['.repeat(10_000)}${']'.repeat(10_000)}]`);
    // Deep inside the params: the operation is read, and its id derived from what it asks.
    const inParams = Buffer.from(
      JSON.stringify({
        approval: 'approved',
        approvedBy: 'sam.lead',
        operation: { ...addEntry(20), requestedBy: { ref: 'RITM3020', actor: 'jane.doe' } },
      }).replace('"from a ticket"', `"from a ticket","deep":${nested}`),
    );

    // Act
    const answers = [
      await post(webhooks, signed('standard', deep)),
      await post(webhooks, signed('servicenow', inParams)),
      await post(webhooks, signed('jira', Buffer.from(nested))),
    ];

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'JSON_TOO_DEEP', maxDepth: 32 });
    }
  });
});
