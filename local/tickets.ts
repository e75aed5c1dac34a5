/**
 * A ticketing stand-in on 127.0.0.1 for the notifier: Jira Cloud's issue comment (and transitions), GitHub's
 * issue comment, Zendesk's ticket update, and Standard Webhooks callbacks (`POST /callbacks/{source}`). It checks
 * each request's auth (Basic, bearer token, or the callback's signature against the source's secret), records
 * every request (`GET /__received`) and can be scripted to answer something else first (`POST /__script`
 * with `{"status": 429, "retryAfter": "1", "times": 1}`), so retries can be tried on this machine.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { standardWebhooks } from '../shared/webhooks/verifiers/standard-webhooks.ts';

/** The local stack's notifier credentials: fixed and public, never to be used anywhere else. */
export const LOCAL_TICKET_CREDENTIALS = {
  jira: { email: 'atlas-ops@example.com', apiToken: 'atlas-ops-local-jira-api-token' },
  github: { token: 'atlas-ops-local-github-token' },
  zendesk: { email: 'atlas-ops@example.com', apiToken: 'atlas-ops-local-zendesk-api-token' },
  // base64 of the 32 bytes "atlas-ops-local-callback-secret!"
  servicenow: { signingSecret: 'whsec_YXRsYXMtb3BzLWxvY2FsLWNhbGxiYWNrLXNlY3JldCE=' },
  standard: { signingSecret: 'whsec_YXRsYXMtb3BzLWxvY2FsLWNhbGxiYWNrLXNlY3JldCE=' },
} as const;

/** One request the stand-in received. */
export interface ReceivedRequest {
  /** `jira`, `jira-transition`, `github`, `zendesk`, or the callback's source. */
  kind: string;
  /** The issue key, `owner/repo#number`, the ticket id; the source for a callback. */
  ref: string;
  method: string;
  path: string;
  /** What the stand-in answered. */
  status: number;
  /** The body as sent (text) and parsed, when it is JSON. */
  raw: string;
  body: unknown;
  /** The Standard Webhooks headers of a callback. */
  headers: Record<string, string>;
  at: string;
}

export interface ScriptedAnswer {
  status: number;
  retryAfter?: string;
  /** How many requests get this answer. Default 1. */
  times?: number;
}

export interface TicketingStandIn {
  url: string;
  received(): ReceivedRequest[];
  script(answer: ScriptedAnswer): void;
  reset(): void;
  close(): Promise<void>;
}

const TIMESTAMP_TOLERANCE_SECONDS = 300;

export async function startTicketingStandIn(options: { port?: number } = {}): Promise<TicketingStandIn> {
  const received: ReceivedRequest[] = [];
  const scripted: { status: number; retryAfter?: string; left: number }[] = [];
  const creds = LOCAL_TICKET_CREDENTIALS;
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  const routes: {
    method: string;
    pattern: RegExp;
    kind: string | ((m: RegExpExecArray) => string);
    ref: (m: RegExpExecArray) => string;
    authorised: (req: IncomingMessage, raw: Buffer, m: RegExpExecArray) => boolean;
    answer: (m: RegExpExecArray) => { status: number; body?: unknown };
  }[] = [
    {
      method: 'POST',
      pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/,
      kind: 'jira',
      ref: (m) => decodeURIComponent(m[1] ?? ''),
      authorised: (req) => req.headers.authorization === basic(creds.jira.email, creds.jira.apiToken),
      answer: () => ({ status: 201, body: { id: String(received.length + 10_000) } }),
    },
    {
      method: 'GET',
      pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/,
      kind: 'jira-transitions',
      ref: (m) => decodeURIComponent(m[1] ?? ''),
      authorised: (req) => req.headers.authorization === basic(creds.jira.email, creds.jira.apiToken),
      answer: () => ({
        status: 200,
        body: {
          transitions: [
            { id: '31', name: 'Done' },
            { id: '41', name: 'Failed' },
          ],
        },
      }),
    },
    {
      method: 'POST',
      pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/,
      kind: 'jira-transition',
      ref: (m) => decodeURIComponent(m[1] ?? ''),
      authorised: (req) => req.headers.authorization === basic(creds.jira.email, creds.jira.apiToken),
      answer: () => ({ status: 204 }),
    },
    {
      method: 'POST',
      pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      kind: 'github',
      ref: (m) => `${decodeURIComponent(m[1] ?? '')}/${decodeURIComponent(m[2] ?? '')}#${m[3]}`,
      authorised: (req) => req.headers.authorization === `Bearer ${creds.github.token}`,
      answer: () => ({ status: 201, body: { id: received.length + 20_000 } }),
    },
    {
      method: 'PUT',
      pattern: /^\/api\/v2\/tickets\/(\d+)(?:\.json)?$/,
      kind: 'zendesk',
      ref: (m) => m[1] ?? '',
      authorised: (req) =>
        req.headers.authorization === basic(`${creds.zendesk.email}/token`, creds.zendesk.apiToken),
      answer: (m) => ({ status: 200, body: { ticket: { id: Number(m[1]) } } }),
    },
    {
      method: 'POST',
      pattern: /^\/callbacks\/([a-z][a-z0-9-]*)$/,
      kind: (m) => m[1] ?? '',
      ref: (m) => m[1] ?? '',
      authorised: (req, raw, m) => {
        const secret = (creds as Record<string, { signingSecret?: string }>)[m[1] ?? '']?.signingSecret;
        if (!secret) return false;
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
        );
        return standardWebhooks.verify(
          { headers, body: raw },
          { secrets: [secret], now: new Date(), toleranceSeconds: TIMESTAMP_TOLERANCE_SECONDS },
        ).ok;
      },
      answer: () => ({ status: 204 }),
    },
  ];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });

  function reply(
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): ServerResponse {
    res.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    });
    return res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): ServerResponse {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/__received' && req.method === 'GET') return reply(res, 200, received);
    if (path === '/__received' && req.method === 'DELETE') {
      received.length = 0;
      scripted.length = 0;
      return reply(res, 204);
    }
    if (path === '/__script' && req.method === 'POST') {
      const answer = JSON.parse(raw.toString('utf8') || '{}') as ScriptedAnswer;
      addScript(answer);
      return reply(res, 204);
    }
    for (const route of routes) {
      const match = req.method === route.method ? route.pattern.exec(path) : null;
      if (!match) continue;
      const text = raw.toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const entry: ReceivedRequest = {
        kind: typeof route.kind === 'string' ? route.kind : route.kind(match),
        ref: route.ref(match),
        method: req.method ?? '',
        path,
        status: 0,
        raw: text,
        body,
        headers: Object.fromEntries(
          ['webhook-id', 'webhook-timestamp', 'webhook-signature']
            .filter((name) => typeof req.headers[name] === 'string')
            .map((name) => [name, String(req.headers[name])]),
        ),
        at: new Date().toISOString(),
      };
      received.push(entry);
      if (!route.authorised(req, raw, match)) {
        entry.status = 401;
        return reply(res, 401, { errorMessages: ['Unauthorized'] });
      }
      const next = scripted[0];
      if (next) {
        next.left -= 1;
        if (next.left <= 0) scripted.shift();
        entry.status = next.status;
        return reply(
          res,
          next.status,
          { errorMessages: [`scripted ${next.status}`] },
          next.retryAfter ? { 'retry-after': next.retryAfter } : {},
        );
      }
      const answer = route.answer(match);
      entry.status = answer.status;
      return reply(res, answer.status, answer.body);
    }
    return reply(res, 404, { errorMessages: ['Not found'] });
  }

  function addScript(answer: ScriptedAnswer): void {
    scripted.push({
      status: answer.status,
      ...(answer.retryAfter ? { retryAfter: answer.retryAfter } : {}),
      left: Math.max(1, answer.times ?? 1),
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => [...received],
    script: addScript,
    reset: () => {
      received.length = 0;
      scripted.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
