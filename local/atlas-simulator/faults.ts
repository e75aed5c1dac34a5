/**
 * Faults for tests and demos: a scripted sequence (the next N calls to a path answer 429/5xx, reset the
 * connection or stall), plus a random fault rate and added latency. Scripts are set through `/__sim/faults`.
 */
import { z } from 'zod';

export const faultScriptSchema = z.object({
  /** Path prefix (`/api/atlas/v2/groups`) or, between slashes, a regular expression. */
  path: z.string().min(1),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .optional(),
  /** How many matching calls this fault applies to. */
  count: z.number().int().min(1).max(100_000).default(1),
  action: z.enum(['status', 'reset', 'stall']).default('status'),
  /** With `status`: the HTTP status to answer (e.g. 429, 500, 503). */
  status: z.number().int().min(400).max(599).default(503),
  errorCode: z.string().optional(),
  /** With a 429 or 503: the `Retry-After` seconds to send. */
  retryAfter: z.number().int().min(0).optional(),
  /** With `stall`: how long to hold the request before answering normally (absent: until the client gives up). */
  stallMs: z.number().int().min(0).optional(),
});

export type FaultScript = z.infer<typeof faultScriptSchema>;

interface ActiveFault extends FaultScript {
  remaining: number;
  matcher: (path: string) => boolean;
}

function matcherFor(path: string): (path: string) => boolean {
  if (path.length > 2 && path.startsWith('/') && path.endsWith('/') && !path.startsWith('/api')) {
    const pattern = new RegExp(path.slice(1, -1));
    return (p) => pattern.test(p);
  }
  return (p) => p.startsWith(path);
}

export class FaultInjector {
  #scripts: ActiveFault[] = [];

  add(script: FaultScript): void {
    this.#scripts.push({ ...script, remaining: script.count, matcher: matcherFor(script.path) });
  }

  clear(): void {
    this.#scripts = [];
  }

  /** The scripted fault for this call, if any (each use counts down its script). */
  take(method: string, path: string): FaultScript | undefined {
    const script = this.#scripts.find(
      (s) => s.remaining > 0 && (s.method === undefined || s.method === method) && s.matcher(path),
    );
    if (!script) return undefined;
    script.remaining -= 1;
    if (script.remaining === 0) this.#scripts = this.#scripts.filter((s) => s !== script);
    return script;
  }

  pending(): {
    path: string;
    method?: string | undefined;
    remaining: number;
    action: string;
    status: number;
  }[] {
    return this.#scripts.map((s) => ({
      path: s.path,
      method: s.method,
      remaining: s.remaining,
      action: s.action,
      status: s.status,
    }));
  }
}

/** One line of the request log (no headers, so no credentials). */
export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  /** Resolved API version, when the call reached a resource. */
  version?: string;
  /** Client id or public key of the caller. */
  principal?: string;
  fault?: string;
}
