/**
 * One client per kind of place a request can come from: Jira, GitHub, Zendesk issue comments, and a signed
 * Standard Webhooks callback for everything else. Base URLs and callback URLs are configuration; the message
 * only says which ticket (`requestedBy.ref`), never where to send.
 */
import { createHash } from 'node:crypto';
import type { OutcomeEvent } from '../operations/outcome.ts';
import { standardWebhooks } from '../webhooks/verifiers/standard-webhooks.ts';
import { jiraDocument, markdownComment, plainComment } from './comment.ts';
import { NotificationRejectedError } from './errors.ts';
import { checkAnswer, type HttpSend } from './http.ts';
import type { NotifierSecrets } from './secrets.ts';

/** What a client gets to tell one outcome. */
export interface Notification {
  event: OutcomeEvent;
  /** `requestedBy.ref`: the issue key, `owner/repo#number`, the ticket id, … */
  ref: string;
  statusUrl?: string | undefined;
  secrets: NotifierSecrets;
}

export interface NotificationTarget {
  send(notification: Notification): Promise<void>;
}

export interface JiraOptions {
  baseUrl: string;
  /** A transition (by name) applied after the comment when the operation succeeded or failed. */
  transitionOnSuccess?: string | undefined;
  transitionOnFailure?: string | undefined;
  /** A transition that could not be applied: the comment is there, so it is reported, not retried. */
  onTransitionError?: (error: unknown) => void;
}

const JIRA_KEY = /^[A-Z][A-Z0-9_]*-\d+$/;
const GITHUB_REF = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)#(\d+)$/;
const ZENDESK_ID = /^\d+$/;

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function notConfigured(source: string, what: string): NotificationRejectedError {
  return new NotificationRejectedError(`${source}: no ${what} is configured`, 'NOT_CONFIGURED');
}

/** The source has no place to tell configured at all (no base URL, no callback URL): nowhere to go. */
export function noTarget(source: string, what: string): NotificationRejectedError {
  return new NotificationRejectedError(`${source}: no ${what} is configured`, 'NO_TARGET');
}

function badRef(source: string, ref: string): NotificationRejectedError {
  return new NotificationRejectedError(
    `${source}: "${ref.slice(0, 80)}" is not a ${source} reference`,
    'BAD_REF',
  );
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * `url` when it stays under `base` + `prefix` as a client resolves it (dot segments removed, WHATWG URL);
 * otherwise a refusal before any request, so a reference cannot steer a credential to another API path.
 */
function within(url: string, base: string, prefix: string, source: string, ref: string): string {
  const resolved = new URL(url);
  const root = new URL(`${base}${prefix}`);
  if (resolved.origin !== root.origin || !resolved.pathname.startsWith(root.pathname))
    throw badRef(source, ref);
  return url;
}

/** A path segment that a URL parser would resolve away (`.`, `..`): never part of a reference. */
const DOT_SEGMENT = /^\.{1,2}$/;

/** Jira Cloud: `POST /rest/api/3/issue/{key}/comment` (ADF), Basic email:apiToken; optionally a transition. */
export function jiraTarget(http: HttpSend, options: JiraOptions): NotificationTarget {
  const base = trimSlash(options.baseUrl);
  return {
    async send({ event, ref, statusUrl, secrets }) {
      if (!secrets.jira) throw notConfigured('jira', 'credentials');
      if (!JIRA_KEY.test(ref)) throw badRef('jira', ref);
      const headers = {
        authorization: basic(secrets.jira.email, secrets.jira.apiToken),
        accept: 'application/json',
        'content-type': 'application/json',
      };
      const issue = within(
        `${base}/rest/api/3/issue/${encodeURIComponent(ref)}`,
        base,
        '/rest/api/3/issue/',
        'jira',
        ref,
      );
      const answer = await http({
        method: 'POST',
        url: `${issue}/comment`,
        headers,
        body: JSON.stringify({ body: jiraDocument(event, statusUrl) }),
      });
      checkAnswer(answer, `jira comment on ${ref}`);
      // Only an end moves the issue on: a request waiting for approvals stays where it is.
      const name =
        event.status === 'SUCCEEDED'
          ? options.transitionOnSuccess
          : event.status === 'FAILED'
            ? options.transitionOnFailure
            : undefined;
      if (!name || event.dryRun) return;
      try {
        const list = await http({ method: 'GET', url: `${issue}/transitions`, headers });
        checkAnswer(list, `jira transitions of ${ref}`);
        const transitions = (JSON.parse(list.text) as { transitions?: { id: string; name: string }[] })
          .transitions;
        const match = transitions?.find((t) => t.name.toLowerCase() === name.toLowerCase());
        if (!match) {
          throw new NotificationRejectedError(
            `jira: ${ref} has no transition "${name}" now`,
            'NO_TRANSITION',
          );
        }
        const done = await http({
          method: 'POST',
          url: `${issue}/transitions`,
          headers,
          body: JSON.stringify({ transition: { id: match.id } }),
        });
        checkAnswer(done, `jira transition of ${ref}`);
      } catch (error) {
        options.onTransitionError?.(error);
      }
    },
  };
}

/** GitHub (or GitHub Enterprise): `POST /repos/{owner}/{repo}/issues/{number}/comments`, bearer token. */
export function githubTarget(http: HttpSend, options: { apiUrl: string }): NotificationTarget {
  const base = trimSlash(options.apiUrl);
  return {
    async send({ event, ref, statusUrl, secrets }) {
      if (!secrets.github) throw notConfigured('github', 'token');
      const match = GITHUB_REF.exec(ref);
      if (!match) throw badRef('github', ref);
      const [, owner = '', repo = '', number = ''] = match;
      if (DOT_SEGMENT.test(owner) || DOT_SEGMENT.test(repo)) throw badRef('github', ref);
      const path = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/${number}/comments`;
      const answer = await http({
        method: 'POST',
        url: within(`${base}${path}`, base, '/repos/', 'github', ref),
        headers: {
          authorization: `Bearer ${secrets.github.token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'atlas-ops-notifier',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ body: markdownComment(event, statusUrl) }),
      });
      checkAnswer(answer, `github comment on ${ref}`);
    },
  };
}

/** Zendesk: `PUT /api/v2/tickets/{id}` with a private comment, Basic `email/token:apiToken`. */
export function zendeskTarget(http: HttpSend, options: { baseUrl: string }): NotificationTarget {
  const base = trimSlash(options.baseUrl);
  return {
    async send({ event, ref, statusUrl, secrets }) {
      if (!secrets.zendesk) throw notConfigured('zendesk', 'credentials');
      if (!ZENDESK_ID.test(ref)) throw badRef('zendesk', ref);
      const answer = await http({
        method: 'PUT',
        url: within(`${base}/api/v2/tickets/${ref}`, base, '/api/v2/tickets/', 'zendesk', ref),
        headers: {
          authorization: basic(`${secrets.zendesk.email}/token`, secrets.zendesk.apiToken),
          accept: 'application/json',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          ticket: { comment: { body: plainComment(event, statusUrl), public: false } },
        }),
      });
      checkAnswer(answer, `zendesk comment on ${ref}`);
    },
  };
}

/**
 * Standard Webhooks 1.0 callback (reference/webhooks.md §8): the outcome POSTed to the source's configured URL
 * as `{type, timestamp, data}`, signed `v1,<base64 HMAC-SHA256>` over `{id}.{timestamp}.{body}` with the
 * source's `whsec_` secret. The `webhook-id` is derived from the event id, so it is the same on every retry
 * and the receiver can use it as its idempotency key.
 */
export function callbackTarget(
  http: HttpSend,
  options: { source: string; url: string | undefined; now?: () => Date },
): NotificationTarget {
  return {
    async send({ event, statusUrl, secrets }) {
      const key = secrets.callbacks[options.source];
      if (!options.url) throw noTarget(options.source, 'callback URL');
      if (!key) throw notConfigured(options.source, 'signing secret');
      const now = options.now?.() ?? new Date();
      const body = JSON.stringify({
        type: `atlas-ops.operation.${event.status.toLowerCase()}`,
        timestamp: now.toISOString(),
        data: { ...event, ...(statusUrl ? { statusUrl } : {}) },
      });
      const headers = standardWebhooks.sign(Buffer.from(body), key.signingSecret, {
        deliveryId: callbackId(event.eventId),
        now,
      });
      const answer = await http({
        method: 'POST',
        url: options.url,
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'atlas-ops-notifier' },
        body,
      });
      checkAnswer(answer, `${options.source} callback`);
    },
  };
}

/** A `webhook-id` for an outcome: stable per event, and free of the `.` the signed content separates on. */
export function callbackId(eventId: string): string {
  return `msg_${createHash('sha256').update(eventId).digest('base64url').slice(0, 27)}`;
}
