/**
 * The notifier's HTTP calls: one keep-alive undici Agent per process, a timeout per call, and the answer
 * classified — 2xx is done, 429/5xx/408 and network failures are retryable (with `Retry-After`), any other
 * status is a refusal retrying cannot fix. Errors name the method, path and status, never headers or bodies.
 */
import { Agent, type Dispatcher } from '../atlas/undici.ts';
import { NotificationRejectedError, NotificationRetryableError } from './errors.ts';

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** The `Retry-After` header, when there is one. */
  retryAfter?: string | undefined;
}

/** Sends an HTTP request; how a client reaches the ticketing system (a fake in unit tests). */
export type HttpSend = (call: HttpCall) => Promise<HttpAnswer>;

let agent: Dispatcher | undefined;

/** Ticketing APIs answer in well under this; Standard Webhooks recommends 15–30 s for a receiver. */
const TIMEOUT_MS = 15_000;

/** `HttpSend` over undici with the process-wide keep-alive agent. Network failures become retryable errors. */
export function undiciSend(timeoutMs = TIMEOUT_MS): HttpSend {
  return async (call) => {
    agent ??= new Agent({ connectTimeout: 5_000, keepAliveTimeout: 30_000, connections: 16 });
    try {
      // What undici's root `request(url, …)` does: the dispatcher's request with the URL's origin and path.
      const url = new URL(call.url);
      const response = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: call.method,
        headers: call.headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const retryAfter = response.headers['retry-after'];
      return {
        status: response.statusCode,
        text: await response.body.text(),
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      };
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'ERROR');
      throw new NotificationRetryableError(`${call.method} ${pathOf(call.url)} failed: ${code}`, {
        cause: error,
      });
    }
  };
}

/**
 * Throws for an answer that is not 2xx: retryable for 408, 429 and 5xx (with `Retry-After` in ms), a
 * rejection otherwise. `what` says which call it was, e.g. `jira comment on OPS-1`.
 */
export function checkAnswer(answer: HttpAnswer, what: string): void {
  const { status } = answer;
  if (status >= 200 && status < 300) return;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter);
    throw new NotificationRetryableError(`${what}: HTTP ${status}`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  throw new NotificationRejectedError(`${what}: HTTP ${status}`, `HTTP_${status}`, status);
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The URL's path, for messages (no query string: it could carry a token). */
export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
